// Scenario 1: two real WebTorrent peers in headless Chromium find each other only through the
// tracker under test. Page A seeds a generated buffer, page B downloads it by magnet URI; the
// report tells whether B got the right bytes and whether they came from A over WebRTC.
import { startBrowser } from '../lib/browser.mjs'

const SIZE = 5 * 1024 * 1024

const CLIENT_OPTS = { dht: false, lsd: false, utp: false, webSeeds: false, tracker: { rtcConfig: { iceServers: [] } } }

export async function run ({ tracker, chromiumPath, deadline }) {
  const chromium = await startBrowser(chromiumPath)
  try {
    const [pageA, pageB] = await Promise.all([chromium.openPeer('A'), chromium.openPeer('B')])
    const announce = [tracker.wsUrl]

    const seeded = await pageA.evaluate(async ({ announce, size, clientOpts }) => {
      const data = new Uint8Array(size)
      for (let off = 0; off < size; off += 65536) crypto.getRandomValues(data.subarray(off, off + 65536))
      const sha1 = await window.digestHex('SHA-1', data)
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
        result.sha1 = await window.digestHex('SHA-1', data)
      }
      return result
    }, { magnetURI: seeded.magnetURI, announce, timeoutMs, clientOpts: CLIENT_OPTS })

    const seederStats = await pageA.evaluate(() => ({
      uploaded: window.seedTorrent.uploaded,
      wires: window.seedTorrent.wires.map(w => ({ type: w.type, peerId: w.peerId, uploaded: w.uploaded }))
    }))
    return { size: SIZE, seeder: { ...seeded, ...seederStats }, leecher: downloaded }
  } finally {
    await chromium.close()
  }
}
