// Scenario 2: npm bittorrent-tracker's own client announces to and scrapes the tracker under test,
// once over WebSocket and once over HTTP, with a seeder and a leecher per protocol. The report
// lists what each client saw; the JUnit test asserts on it.
//
// Node has no WebRTC here, so the WebSocket clients get a placeholder `wrtc` (it only switches the
// client's WebSocket support on) and always announce with numwant 0: then they generate no offer,
// and nobody else in the swarm sends them one.
import crypto from 'node:crypto'
import Client from 'bittorrent-tracker'

const STEP_TIMEOUT_MS = 10000

export async function run ({ tracker }) {
  const ws = await exercise({
    // One URL per client: the npm client pools WebSockets by URL string, and two clients of the
    // same swarm on one pooled socket would each see the other's replies. `127.1` is the same
    // address spelled differently, so each client gets its own connection.
    seederUrl: tracker.wsUrl,
    leecherUrl: tracker.wsUrl.replace('127.0.0.1', '127.1'),
    extra: { wrtc: {}, getAnnounceOpts: () => ({ numwant: 0 }) }
  })
  const http = await exercise({
    seederUrl: tracker.httpUrl,
    leecherUrl: tracker.httpUrl,
    extra: {}
  })
  return { ws, http }
}

async function exercise ({ seederUrl, leecherUrl, extra }) {
  const infoHash = crypto.randomBytes(20).toString('hex')
  const clients = []
  const newClient = (name, url, port, left) => {
    const client = new Client({ infoHash, announce: url, peerId: crypto.randomBytes(20), port, ...extra })
    const log = { name, peerId: client.peerId, port, updates: [], scrapes: [], peers: [], warnings: [], errors: [] }
    client.on('update', data => log.updates.push({ complete: data.complete, incomplete: data.incomplete }))
    client.on('scrape', data => log.scrapes.push({ complete: data.complete, incomplete: data.incomplete, downloaded: data.downloaded }))
    client.on('peer', peer => log.peers.push(typeof peer === 'string' ? peer : 'webrtc-peer'))
    client.on('warning', err => log.warnings.push(String(err.message || err)))
    client.on('error', err => log.errors.push(String(err.message || err)))
    clients.push(client)
    return { client, log, left }
  }
  const seeder = newClient('seeder', seederUrl, 6881, 0)
  const leecher = newClient('leecher', leecherUrl, 6882, 1000)
  const steps = []
  // Each step depends on the previous ones: after the first failure the rest are not tried.
  const step = async (name, action, who, until) => {
    if (steps.some(s => !s.ok)) return
    action()
    const ok = await waitUntil(() => until(who.log))
    steps.push({ name, ok })
  }
  try {
    await step('seeder started', () => seeder.client.start({ left: 0 }), seeder, log => log.updates.length >= 1)
    await step('leecher started', () => leecher.client.start({ left: leecher.left }), leecher, log => log.updates.length >= 1)
    await step('leecher scrape', () => leecher.client.scrape(), leecher, log => log.scrapes.length >= 1)
    await step('leecher completed', () => leecher.client.complete({ left: 0, downloaded: 1000 }), leecher, log => log.updates.length >= 2)
    await step('seeder scrape', () => seeder.client.scrape(), seeder, log => log.scrapes.length >= 1)
    await step('seeder stopped', () => seeder.client.stop({ left: 0 }), seeder, log => log.updates.length >= 2 || log.warnings.length > 0)
    await step('leecher scrape after stop', () => leecher.client.scrape(), leecher, log => log.scrapes.length >= 2)
  } finally {
    for (const client of clients) client.destroy()
  }
  return { infoHash, steps, seeder: seeder.log, leecher: leecher.log }
}

async function waitUntil (condition) {
  const deadline = Date.now() + STEP_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (condition()) return true
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  return false
}
