#!/usr/bin/env node
// Runs one interop scenario against one tracker and writes a JSON report. Meant to run inside a
// loopback-only network namespace (see ./in-loopback-netns), where it starts everything itself:
// the tracker (our origin jar or npm bittorrent-tracker's server), the pages' server, Chromium.
//
//   node run-scenario.mjs --scenario browser-swarm|browser-webseed|npm-client --tracker ours|reference \
//        --report FILE [--origin-jar JAR] [--java JAVA] [--origin-arg ARG]... [--timeout SECONDS]
//
// Exit status 0 when the scenario ran to its end (the report says what happened), 1 otherwise.
import fs from 'node:fs'
import { register } from 'node:module'
import { parseArgs } from 'node:util'
import { killAll } from './lib/processes.mjs'
import { startTracker } from './lib/trackers.mjs'

const { values } = parseArgs({
  options: {
    scenario: { type: 'string' },
    tracker: { type: 'string', default: 'ours' },
    report: { type: 'string' },
    'origin-jar': { type: 'string' },
    java: { type: 'string', default: 'java' },
    'origin-arg': { type: 'string', multiple: true, default: [] },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    timeout: { type: 'string', default: '90' }
  }
})

const scenarios = {
  'browser-swarm': () => import('./scenarios/browser-swarm.mjs'),
  'browser-webseed': () => import('./scenarios/browser-webseed.mjs'),
  'npm-client': () => import('./scenarios/npm-client.mjs')
}
if (!scenarios[values.scenario] || !values.report || !['ours', 'reference'].includes(values.tracker)) {
  console.error('usage: run-scenario.mjs --scenario browser-swarm|browser-webseed|npm-client --tracker ours|reference --report FILE [--origin-jar JAR]')
  process.exit(2)
}

register('./lib/no-webrtc-hooks.mjs', import.meta.url)

const started = Date.now()
const deadline = started + Number(values.timeout) * 1000
const report = { scenario: values.scenario, tracker: values.tracker, ok: false }

function finish (code) {
  killAll()
  report.elapsedMs = Date.now() - started
  fs.writeFileSync(values.report, JSON.stringify(report, null, 2))
  process.exit(code)
}

// Hard stop: whatever hangs, the report is still written and every child is killed.
setTimeout(() => {
  report.error = `scenario timed out after ${values.timeout} s`
  finish(1)
}, Number(values.timeout) * 1000).unref()
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
  process.on(signal, () => { report.error = `killed by ${signal}`; finish(1) })
}

try {
  const tracker = await startTracker({
    tracker: values.tracker,
    originJar: values['origin-jar'],
    java: values.java,
    originArgs: values['origin-arg']
  })
  report.trackerUrl = { ws: tracker.wsUrl, http: tracker.httpUrl }
  try {
    const { run } = await scenarios[values.scenario]()
    report.result = await run({ tracker, chromiumPath: values.chromium, deadline })
    report.ok = true
  } finally {
    await tracker.stop()
  }
  finish(0)
} catch (err) {
  report.error = String(err && err.stack ? err.stack : err)
  finish(1)
}
