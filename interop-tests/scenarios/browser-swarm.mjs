// Scenario 1: two real WebTorrent peers in headless Chromium find each other only through the
// tracker under test. Page A seeds a generated buffer, page B downloads it by magnet URI; the
// report tells whether B got the right bytes and whether they came from A over WebRTC.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { startStaticServer } from '../lib/static-server.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
const SIZE = 5 * 1024 * 1024

// Flags from shared/TEST-ENVIRONMENT.md: loopback WebRTC needs the loopback candidate exposed.
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--allow-loopback-in-peer-connection', '--disable-features=WebRtcHideLocalIpsWithMdns'
]

const CLIENT_OPTS = { dht: false, lsd: false, utp: false, webSeeds: false, tracker: { rtcConfig: { iceServers: [] } } }

export async function run ({ tracker, chromiumPath, deadline }) {
  const web = await startStaticServer({
    '/peer.html': path.join(here, '..', 'pages', 'peer.html'),
    '/webtorrent.min.js': path.join(here, '..', 'node_modules', 'webtorrent', 'dist', 'webtorrent.min.js')
  })
  // Playwright starts Chromium with a fresh temporary --user-data-dir. Each peer gets its own
  // browser context: WebTorrent keeps pieces in the origin's private file system (OPFS), so two
  // tabs of one context would share pieces without any transfer.
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS })
  try {
    const [pageA, pageB] = await Promise.all([openPeer(browser, web.origin, 'A'), openPeer(browser, web.origin, 'B')])
    const announce = [tracker.wsUrl]

    const seeded = await pageA.evaluate(async ({ announce, size, clientOpts }) => {
      const data = new Uint8Array(size)
      for (let off = 0; off < size; off += 65536) crypto.getRandomValues(data.subarray(off, off + 65536))
      const sha1 = [...new Uint8Array(await crypto.subtle.digest('SHA-1', data))].map(b => b.toString(16).padStart(2, '0')).join('')
      const client = window.client = new window.WebTorrent(clientOpts)
      return new Promise((resolve, reject) => {
        client.on('error', err => reject(new Error(`seeder: ${err.message || err}`)))
        client.seed(new File([data], 'swarm-test.bin'), { announce, name: 'swarm-test.bin' }, torrent => {
          window.seedTorrent = torrent
          resolve({ magnetURI: torrent.magnetURI, infoHash: torrent.infoHash, sha1, length: torrent.length, peerId: client.peerId, announce: torrent.announce })
        })
      })
    }, { announce, size: SIZE, clientOpts: CLIENT_OPTS })

    const timeoutMs = Math.max(1000, deadline - Date.now() - 5000)
    const downloaded = await pageB.evaluate(async ({ magnetURI, announce, timeoutMs, clientOpts }) => {
      const client = window.client = new window.WebTorrent(clientOpts)
      const torrent = client.add(magnetURI, { announce })
      const done = await new Promise(resolve => {
        const timer = setTimeout(() => resolve(false), timeoutMs)
        client.on('error', () => { clearTimeout(timer); resolve(false) })
        torrent.on('done', () => { clearTimeout(timer); resolve(true) })
      })
      const result = {
        done,
        error: null,
        announce: torrent.announce,
        urlList: torrent.urlList || [],
        downloaded: torrent.downloaded,
        received: torrent.received,
        length: torrent.length,
        wires: torrent.wires.map(w => ({ type: w.type, peerId: w.peerId, downloaded: w.downloaded, uploaded: w.uploaded, remoteAddress: w.remoteAddress }))
      }
      if (done) {
        const data = new Uint8Array(await torrent.files[0].arrayBuffer())
        result.size = data.length
        result.sha1 = [...new Uint8Array(await crypto.subtle.digest('SHA-1', data))].map(b => b.toString(16).padStart(2, '0')).join('')
      }
      return result
    }, { magnetURI: seeded.magnetURI, announce, timeoutMs, clientOpts: CLIENT_OPTS })

    const seederStats = await pageA.evaluate(() => ({
      uploaded: window.seedTorrent.uploaded,
      wires: window.seedTorrent.wires.map(w => ({ type: w.type, peerId: w.peerId, uploaded: w.uploaded }))
    }))
    return { size: SIZE, seeder: { ...seeded, ...seederStats }, leecher: downloaded }
  } finally {
    await browser.close().catch(() => {})
    await web.stop()
  }
}

async function openPeer (browser, origin, name) {
  // Camera and microphone permissions make Chromium expose its 127.0.0.1 ICE candidate.
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] })
  const page = await context.newPage()
  page.on('console', msg => process.stderr.write(`[page ${name}] ${msg.type()}: ${msg.text()}\n`))
  page.on('pageerror', err => process.stderr.write(`[page ${name}] error: ${err.message}\n`))
  await page.goto(`${origin}/peer.html`)
  await page.waitForFunction(() => window.peerReady === true)
  return page
}
