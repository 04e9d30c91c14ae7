// A minimal static HTTP server for the test pages and WebTorrent's browser bundle. Serves only the
// files named in `routes` (no path walking), on 127.0.0.1 and an ephemeral port.
import fs from 'node:fs'
import http from 'node:http'

export async function startStaticServer (routes) {
  const server = http.createServer((req, res) => {
    const file = routes[new URL(req.url, 'http://x').pathname]
    if (req.url === '/favicon.ico') {
      res.writeHead(204).end()
      return
    }
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
      return
    }
    const type = file.endsWith('.html') ? 'text/html; charset=utf-8' : 'text/javascript; charset=utf-8'
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' })
    fs.createReadStream(file).pipe(res)
  })
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    stop: () => new Promise(resolve => { server.closeAllConnections(); server.close(resolve) })
  }
}
