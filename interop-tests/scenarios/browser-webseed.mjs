// Scenario 3: a stock WebTorrent client in headless Chromium downloads a file that our origin
// publishes, from our web seed alone (BEP 19). The origin hashes a generated multi-piece file
// (its length is no multiple of the piece length); the page, on another origin than the media,
// fetches our .torrent, whose url-list points at /media/..., and WebTorrent fetches every piece
// with cross-origin, preflighted Range requests. Then a fresh page does the same from nothing but
// the API's magnet URI. Nobody else is in the swarm (our WebSocket tracker has no other peer; the
// HTTP tracker is not used by browsers). The report has, per download, what the page got (SHA-256
// computed in the page), its wires, every web-seed response the page saw, and the origin's
// per-file origin-bytes counter after it.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { startBrowser } from '../lib/browser.mjs'
import { waitFor } from '../lib/processes.mjs'

// 3 MiB + 12345 bytes: 16 KiB pieces (the origin's automatic rule), the last one short.
const SIZE = 3 * 1024 * 1024 + 12345
// A subfolder, spaces, '#', '+', '%' and non-ASCII: the web seed URL must be percent-encoded right.
const MEDIA_PATH = 'web seed/clip #1 été+50%.bin'

export async function run ({ tracker, chromiumPath, deadline }) {
  if (tracker.kind !== 'ours') throw new Error('browser-webseed needs our origin (--tracker ours)')
  const content = crypto.randomBytes(SIZE)
  const sha256 = crypto.createHash('sha256').update(content).digest('hex')
  const file = path.join(tracker.mediaDir, MEDIA_PATH)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, content)
  // An old modification time: the library takes the file as stable (fully written) at once.
  const old = new Date(Date.now() - 60000)
  fs.utimesSync(file, old, old)

  let entry
  const publishing = Date.now()
  await waitFor('origin publishes the file', async () => {
    const list = await (await fetch(`${tracker.origin}/api/v1/files?size=1000`)).json()
    entry = list.items.find(item => item.path === MEDIA_PATH.replace(/\\/g, '/') && item.status === 'ready')
    return entry
  }, Math.min(30000, deadline - Date.now()))

  const publishedMs = Date.now() - publishing
  const token = fs.readFileSync(path.join(tracker.dataDir, 'admin-token'), 'utf8').trim()
  const originBytes = async () => {
    const stats = await (await fetch(`${tracker.origin}/api/v1/admin/stats/origin`, {
      headers: { authorization: `Bearer ${token}` }
    })).json()
    return stats.files.find(f => f.infoHash === entry.infoHash) || { bytes: 0, requests: 0 }
  }

  const chromium = await startBrowser(chromiumPath)
  try {
    // Twice, each in a fresh browser context (nothing cached, no pieces in OPFS): once from the
    // .torrent file fetched by the page, once from nothing but the API's magnet URI (WebTorrent
    // then gets the .torrent from its xs= parameter, and the web seed from ws= and url-list).
    const byTorrentFile = await download(chromium, tracker, { torrentUrl: entry.torrentUrl }, deadline, 2)
    const afterTorrentFile = await originBytes()
    const byMagnet = await download(chromium, tracker, { magnetUri: entry.magnetUri }, deadline, 1)
    const afterMagnet = await originBytes()
    return {
      size: SIZE,
      sha256,
      pageOrigin: chromium.origin,
      mediaOrigin: tracker.origin,
      entry,
      publishedMs,
      torrentFile: { ...byTorrentFile, originStats: afterTorrentFile },
      magnet: { ...byMagnet, originStats: afterMagnet }
    }
  } finally {
    await chromium.close()
  }
}

/**
 * One download in a new page: `source` is { torrentUrl } or { magnetUri }. `share` of the time
 * left: what this download may take, the rest stays for later ones.
 */
async function download (chromium, tracker, source, deadline, share) {
  const started = Date.now()
  const page = await chromium.openPeer(source.torrentUrl ? 'torrent-file' : 'magnet')
  const responses = []
  const failures = []
  page.on('response', async response => {
    if (!response.url().startsWith(`${tracker.origin}/media/`)) return
    const request = response.request()
    const headers = await response.allHeaders()
    responses.push({
      method: request.method(),
      range: (await request.allHeaders()).range || null,
      status: response.status(),
      contentRange: headers['content-range'] || null,
      contentLength: headers['content-length'] == null ? null : Number(headers['content-length']),
      allowOrigin: headers['access-control-allow-origin'] || null,
      exposeHeaders: headers['access-control-expose-headers'] || null,
      date: headers.date || null
    })
  })
  page.on('requestfailed', request => {
    if (request.url().startsWith(`${tracker.origin}/`)) failures.push(`${request.method()} ${request.url()} ${request.failure()?.errorText}`)
  })

  const timeoutMs = Math.max(1000, (deadline - Date.now() - 8000) / share)
  const leecher = await page.evaluate(async ({ source, timeoutMs }) => {
    const torrentId = source.torrentUrl
      ? new Uint8Array(await (await fetch(source.torrentUrl)).arrayBuffer())
      : source.magnetUri
    const client = window.client = new window.WebTorrent({ dht: false, lsd: false, utp: false })
    const warnings = []
    const torrent = client.add(torrentId)
    torrent.on('warning', err => warnings.push(String(err.message || err)))
    const done = await new Promise(resolve => {
      const timer = setTimeout(() => resolve(false), timeoutMs)
      client.on('error', err => { warnings.push(`client error: ${err.message || err}`); clearTimeout(timer); resolve(false) })
      torrent.on('error', err => { warnings.push(`torrent error: ${err.message || err}`); clearTimeout(timer); resolve(false) })
      torrent.on('done', () => { clearTimeout(timer); resolve(true) })
    })
    const result = {
      done,
      warnings,
      infoHash: torrent.infoHash,
      announce: torrent.announce,
      urlList: torrent.urlList || [],
      length: torrent.length,
      pieceLength: torrent.pieceLength,
      pieces: torrent.pieces.length,
      downloaded: torrent.downloaded,
      received: torrent.received,
      numPeers: torrent.numPeers,
      wires: torrent.wires.map(w => ({ type: w.type, url: w.url || null, downloaded: w.downloaded, uploaded: w.uploaded }))
    }
    if (done) {
      const data = new Uint8Array(await torrent.files[0].arrayBuffer())
      result.size = data.length
      result.sha256 = await window.digestHex('SHA-256', data)
    }
    await new Promise(resolve => client.destroy(resolve))
    return result
  }, { source, timeoutMs })
  await page.context().close()
  return { leecher, elapsedMs: Date.now() - started, webSeedResponses: responses, webSeedFailures: failures }
}
