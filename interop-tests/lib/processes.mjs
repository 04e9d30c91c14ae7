// Child-process bookkeeping for the scenarios: every process a scenario starts is registered here
// and killed (whole process group) when the scenario ends, times out or crashes, so that no
// Chromium, node or java process outlives the run.
import { spawn } from 'node:child_process'
import net from 'node:net'

const children = new Set()

/** Spawns a command in its own process group; its output goes to our stderr with a prefix. */
export function start (name, command, args, opts = {}) {
  const child = spawn(command, args, { ...opts, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  children.add(child)
  child.on('exit', () => children.delete(child))
  const prefix = line => `[${name}] ${line}\n`
  for (const stream of [child.stdout, child.stderr]) {
    let rest = ''
    stream.setEncoding('utf8')
    stream.on('data', chunk => {
      const lines = (rest + chunk).split('\n')
      rest = lines.pop()
      for (const line of lines) process.stderr.write(prefix(line))
      if (opts.onLine) lines.forEach(opts.onLine)
    })
  }
  return child
}

/** Kills every registered process group with SIGKILL. Safe to call more than once. */
export function killAll () {
  for (const child of children) {
    try { process.kill(-child.pid, 'SIGKILL') } catch { /* already gone */ }
  }
  children.clear()
}

/** A TCP port that is free on 127.0.0.1 right now (we run alone in a fresh namespace). */
export function freePort () {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/** Polls `probe` until it resolves truthy, or throws after `timeoutMs`. */
export async function waitFor (what, probe, timeoutMs, child) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`${what}: process exited with ${child.exitCode}`)
    try { if (await probe()) return } catch { /* not yet */ }
    await new Promise(resolve => setTimeout(resolve, 200))
  }
  throw new Error(`${what}: not ready after ${timeoutMs} ms`)
}
