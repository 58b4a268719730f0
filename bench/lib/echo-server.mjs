/**
 * The baseline server of the benchmarks: a bare node:http server, run as its own process (like
 * Signalbox) so it does not share an event loop with the load generator.
 *
 *   node echo-server.mjs <port>          answers every request with 200 and the request body
 *   node echo-server.mjs <port> json     reads the body, gunzips it when it says
 *                                        `Content-Encoding: gzip`, JSON.parses it, answers `{}`
 *                                        (what a JSON API must do at the least: bench/metrics-ingest)
 *
 * Prints "ready" when listening on 127.0.0.1:<port>. Stops on SIGTERM.
 */
import { createServer } from 'node:http';
import { gunzip } from 'node:zlib';

const port = Number(process.argv[2]);
const json = process.argv[3] === 'json';

function parseAndAnswer(req, res, body) {
  const inflate = req.headers['content-encoding'] === 'gzip'
    ? (cb) => gunzip(body, cb)
    : (cb) => cb(null, body);
  inflate((err, plain) => {
    let status = 200;
    try {
      if (err) throw err;
      JSON.parse(plain.toString('utf8'));
    } catch {
      status = 400;
    }
    const out = status === 200 ? '{}' : '{"message":"bad body"}';
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'content-length': out.length });
    res.end(out);
  });
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    if (json) return parseAndAnswer(req, res, body);
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
