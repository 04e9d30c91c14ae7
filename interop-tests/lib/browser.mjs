// Headless Debian Chromium for the scenarios, driven by playwright-core (which never downloads a
// browser of its own), and the page every scenario uses: pages/peer.html, which loads WebTorrent's
// browser bundle from this package's node_modules, served from its own loopback origin.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { startStaticServer } from './static-server.mjs'

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')

// Flags from shared/TEST-ENVIRONMENT.md: loopback WebRTC needs the loopback candidate exposed.
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--allow-loopback-in-peer-connection', '--disable-features=WebRtcHideLocalIpsWithMdns'
]

/**
 * Starts the pages' server and Chromium. Returns { origin, browser, openPeer(name), close() };
 * close() ends both. Playwright starts Chromium with a fresh temporary --user-data-dir.
 */
export async function startBrowser (chromiumPath) {
  const web = await startStaticServer({
    '/peer.html': path.join(root, 'pages', 'peer.html'),
    '/webtorrent.min.js': path.join(root, 'node_modules', 'webtorrent', 'dist', 'webtorrent.min.js')
  })
  let browser
  try {
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS })
  } catch (err) {
    await web.stop()
    throw err
  }
  return {
    origin: web.origin,
    browser,
    openPeer: name => openPeer(browser, web.origin, name),
    close: async () => {
      await browser.close().catch(() => {})
      await web.stop()
    }
  }
}

/**
 * A WebTorrent page in a browser context of its own: WebTorrent keeps pieces in the origin's
 * private file system (OPFS), so two tabs of one context would share pieces without any transfer.
 * Camera and microphone permissions make Chromium expose its 127.0.0.1 ICE candidate.
 */
async function openPeer (browser, origin, name) {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] })
  const page = await context.newPage()
  page.on('console', msg => process.stderr.write(`[page ${name}] ${msg.type()}: ${msg.text()}\n`))
  page.on('pageerror', err => process.stderr.write(`[page ${name}] error: ${err.message}\n`))
  await page.goto(`${origin}/peer.html`)
  await page.waitForFunction(() => window.peerReady === true)
  return page
}
