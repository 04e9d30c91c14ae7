#!/usr/bin/python3
"""A libtorrent peer for interop tests and benchmarks (run with Debian's /usr/bin/python3).

Listens on 127.0.0.1 only, with DHT, LSD, UPnP and NAT-PMP off, so that it talks to nothing but
the peers it is told about. Protocol with the parent process (line based):
  stdout  "PORT <n>"                       once listening
          "PROGRESS <bytes_done> <total>"  about every --report seconds
          "FINISHED <seconds>"             when every piece is verified (download mode)
          "UPLOADED <bytes>"               when it stops (seed mode)
  stdin   closing it (or the parent dying) stops the peer.
Modes:
  create   --file F --piece-length N --out T.torrent        (v1-only, like mktorrent)
  seed     --torrent T --save DIR [--connect H:P]...
  download (--torrent T | --magnet URI) --save DIR [--connect H:P]... [--timeout S]
"""
import argparse
import os
import select
import sys
import time

import libtorrent as lt


def session():
    return lt.session({
        'listen_interfaces': '127.0.0.1:0',
        'enable_dht': False,
        'enable_lsd': False,
        'enable_upnp': False,
        'enable_natpmp': False,
        'allow_multiple_connections_per_ip': True,
        # TCP only, like the peers under test (uTP would also be a different benchmark).
        'enable_outgoing_utp': False,
        'enable_incoming_utp': False,
        'alert_mask': lt.alert_category.error | lt.alert_category.status,
        'user_agent': 'swarmcdn-interop-libtorrent',
    })


def say(line):
    sys.stdout.write(line + '\n')
    sys.stdout.flush()


def stdin_closed(timeout):
    ready, _, _ = select.select([sys.stdin], [], [], timeout)
    return bool(ready) and sys.stdin.buffer.read1(4096) == b''


def connect_all(handle, peers):
    for peer in peers:
        host, port = peer.rsplit(':', 1)
        handle.connect_peer((host, int(port)))


def create(args):
    fs = lt.file_storage()
    lt.add_files(fs, args.file)
    ct = lt.create_torrent(fs, args.piece_length, flags=lt.create_torrent.v1_only)
    lt.set_piece_hashes(ct, os.path.dirname(os.path.abspath(args.file)))
    with open(args.out, 'wb') as out:
        out.write(lt.bencode(ct.generate()))


def run(args):
    ses = session()
    params = lt.add_torrent_params()
    if args.magnet:
        params = lt.parse_magnet_uri(args.magnet)
    else:
        params.ti = lt.torrent_info(args.torrent)
    params.save_path = args.save
    handle = ses.add_torrent(params)
    say('PORT %d' % ses.listen_port())
    started = time.time()
    connect_all(handle, args.connect)
    last_report = 0.0
    last_dial = time.time()
    while True:
        if stdin_closed(0.05):
            break
        st = handle.status()
        for alert in ses.pop_alerts():
            if alert.category() & lt.alert_category.error:
                sys.stderr.write('libtorrent: %s\n' % alert.message())
        now = time.time()
        if now - last_report >= args.report:
            last_report = now
            say('PROGRESS %d %d' % (st.total_wanted_done, st.total_wanted))
            sys.stderr.write('state=%s peers=%d down=%d up=%d\n'
                             % (st.state, st.num_peers, st.download_rate, st.upload_rate))
        if args.mode == 'download' and st.is_seeding:
            say('FINISHED %.3f' % (now - started))
            break
        if args.mode == 'download' and st.num_peers == 0 and args.connect and now - last_dial > 2:
            # A dropped connection is not retried quickly by libtorrent: ask again.
            last_dial = now
            connect_all(handle, args.connect)
        if args.timeout and now - started > args.timeout:
            sys.stderr.write('timeout\n')
            sys.exit(2)
    say('UPLOADED %d' % handle.status().all_time_upload)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('mode', choices=['create', 'seed', 'download'])
    parser.add_argument('--file')
    parser.add_argument('--piece-length', type=int, default=256 * 1024)
    parser.add_argument('--out')
    parser.add_argument('--torrent')
    parser.add_argument('--magnet')
    parser.add_argument('--save', default='.')
    parser.add_argument('--connect', action='append', default=[])
    parser.add_argument('--timeout', type=float, default=0)
    parser.add_argument('--report', type=float, default=1.0)
    args = parser.parse_args()
    if args.mode == 'create':
        create(args)
    else:
        run(args)


if __name__ == '__main__':
    main()
