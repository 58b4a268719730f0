/**
 * The baseline for bench/get-parameter.mjs: a bare node:http server that answers every request
 * with 200 and the request body. Run as its own process (like Signalbox) so it does not share an
 * event loop with the load generator. Usage: node echo-server.mjs <port>; prints "ready" when
 * listening on 127.0.0.1:<port>. Stops on SIGTERM.
 */
import { createServer } from 'node:http';

const port = Number(process.argv[2]);
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/octet-stream', 'content-length': body.length });
    res.end(body);
  });
});
server.listen(port, '127.0.0.1', () => console.log('ready'));
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
});
