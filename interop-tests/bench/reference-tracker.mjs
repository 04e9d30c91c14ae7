#!/usr/bin/env node
// The reference side of bench/tracker-load: npm bittorrent-tracker's server, WebSocket only, on
// 127.0.0.1 and an ephemeral port. Prints one JSON line {"port":P,"memoryPort":M}; a GET on
// http://127.0.0.1:M/ runs a full GC (node --expose-gc) and answers process.memoryUsage(), so the
// benchmark can read this server's live heap the way it reads the JVM's after a GC.
import http from 'node:http'
import Server from 'bittorrent-tracker/server'

const server = new Server({ udp: false, http: false, ws: true, stats: false })
server.on('warning', () => {})
server.on('error', err => process.stderr.write(`reference tracker error: ${err.message}\n`))

const memory = http.createServer((req, res) => {
  if (typeof globalThis.gc === 'function') globalThis.gc()
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(process.memoryUsage()))
})

server.listen(0, '127.0.0.1', () => {
  memory.listen(0, '127.0.0.1', () => {
    const port = server.http.address().port
    process.stdout.write(JSON.stringify({ port, memoryPort: memory.address().port }) + '\n')
  })
})
// The benchmark closes our stdin when it is done with us (and kills us in any case).
process.stdin.on('end', () => process.exit(0))
process.stdin.resume()
