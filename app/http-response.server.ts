/**
 * The Remix request handler for Express, with one difference from @remix-run/express: response
 * bodies are piped with backpressure. The stock adapter writes every chunk without waiting for the
 * socket to drain, so a slow client of a large streamed export (registers, audit pack) would make
 * the server buffer the whole file in memory. With `pipeline` the export is read from the database
 * only as fast as the client takes it, and a client that goes away cancels the stream.
 */
import { createRemixRequest } from "@remix-run/express/dist/server.js";
import { createRequestHandler as createNodeRequestHandler, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeWebReadableStream } from "node:stream/web";

export function remixRequestHandler(options: {
  build: ServerBuild;
  mode: "production" | "development";
  getLoadContext: (req: ExpressRequest, res: ExpressResponse) => AppLoadContext;
}) {
  const handle = createNodeRequestHandler(options.build, options.mode);
  return async (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    let response: Response;
    try {
      response = await handle(createRemixRequest(req, res), options.getLoadContext(req, res));
    } catch (error) {
      next(error);
      return;
    }
    res.statusMessage = response.statusText;
    res.status(response.status);
    for (const [key, value] of response.headers.entries()) res.append(key, value);
    if (!response.body) {
      res.end();
      return;
    }
    try {
      await pipeline(Readable.fromWeb(response.body as NodeWebReadableStream<Uint8Array>), res);
    } catch (error) {
      // the client went away (or the body stream failed after the headers were sent): nothing
      // more can be sent; pipeline has already destroyed both ends
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ERR_STREAM_PREMATURE_CLOSE" && code !== "ECONNRESET") {
        console.error(`[http] response body for ${req.method} ${req.originalUrl.split("?")[0]} failed: ${(error as Error).message}`);
      }
    }
  };
}
