/**
 * Creates the first administrator (and, if needed, the workspace) in any mode, including production,
 * where no demo users exist. It prints a single-use link to choose the password, so no password
 * passes through the shell or its history.
 *
 *   npm run create-admin -- --email anna@vendor.nl --name "Anna de Vries" --workspace vendor --workspace-name "Vendor B.V."
 */
import { parseArgs } from "node:util";
import { ConfigError, getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import { createFirstAdmin } from "~/services/setup.server";

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

async function main() {
  const { values } = parseArgs({
    options: {
      email: { type: "string" },
      name: { type: "string" },
      workspace: { type: "string" },
      "workspace-name": { type: "string" },
    },
  });
  if (!values.email || !values.name || !values.workspace) {
    fail('Usage: npm run create-admin -- --email <email> --name "<full name>" --workspace <slug> [--workspace-name "<legal name>"]');
  }
  try {
    getConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const result = await createFirstAdmin(getDb(), {
    email: values.email,
    name: values.name,
    workspaceSlug: values.workspace,
    workspaceName: values["workspace-name"],
    now: new Date().toISOString(),
  });
  if (!result.ok) fail(result.error);
  console.log(`Administrator ${result.email} of workspace "${result.workspaceSlug}" created.`);
  console.log(`Choose the password within 7 days (single use): ${result.link}`);
}

void main();
