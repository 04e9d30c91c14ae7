// The tracker under test: either our origin (the packaged cdn-server jar, a real java process) or
// the reference implementation, npm bittorrent-tracker's own server, started in this process.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Server from 'bittorrent-tracker/server'
import { start, freePort, waitFor } from './processes.mjs'

/**
 * Starts the tracker chosen by `opts.tracker` ('ours' or 'reference') on 127.0.0.1.
 * Returns { kind, port, wsUrl, httpUrl, pid, stop() }; our origin also has { origin, mediaDir, dataDir }.
 */
export async function startTracker (opts) {
  return opts.tracker === 'reference' ? startReference(opts) : startOrigin(opts)
}

async function startReference ({ referenceWs = true, referenceHttp = true }) {
  const server = new Server({ udp: false, http: referenceHttp, ws: referenceWs, stats: false })
  server.on('warning', () => {})
  server.on('error', err => process.stderr.write(`[reference] ${err.message}\n`))
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
  const port = (server.http || server.ws._server || server.ws.options.server).address().port
  return {
    kind: 'reference',
    port,
    pid: process.pid,
    wsUrl: `ws://127.0.0.1:${port}`,
    httpUrl: `http://127.0.0.1:${port}/announce`,
    stop: () => new Promise(resolve => server.close(resolve))
  }
}

async function startOrigin ({ originJar, java = 'java', originArgs = [], jvmArgs = [], startTimeoutMs = 60000 }) {
  if (!originJar || !fs.existsSync(originJar)) throw new Error(`origin jar not found: ${originJar}`)
  const port = await freePort()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmcdn-origin-'))
  // Also when the runner ends another way than through stop() (its hard timeout, a signal):
  // both go through process.exit, which runs 'exit' listeners, synchronously.
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }))
  fs.mkdirSync(path.join(dir, 'media'))
  fs.mkdirSync(path.join(dir, 'data'))
  const args = [
    '-XX:+UseSerialGC', '-Xss512k', '-XX:TieredStopAtLevel=1', ...jvmArgs, '-jar', originJar,
    '--server.address=127.0.0.1',
    `--server.port=${port}`,
    `--swarmcdn.media-dir=${path.join(dir, 'media')}`,
    `--swarmcdn.data-dir=${path.join(dir, 'data')}`,
    `--swarmcdn.public-url=http://127.0.0.1:${port}`,
    ...originArgs
  ]
  const child = start('origin', java, args)
  await waitFor('origin', async () => (await fetch(`http://127.0.0.1:${port}/actuator/health`)).ok, startTimeoutMs, child)
  return {
    kind: 'ours',
    port,
    pid: child.pid,
    origin: `http://127.0.0.1:${port}`,
    mediaDir: path.join(dir, 'media'),
    dataDir: path.join(dir, 'data'),
    wsUrl: `ws://127.0.0.1:${port}/announce`,
    httpUrl: `http://127.0.0.1:${port}/announce`,
    stop: async () => {
      try { process.kill(-child.pid, 'SIGKILL') } catch { /* gone */ }
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
}
