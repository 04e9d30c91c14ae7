package io.swarmcdn.torrent.engine;

import io.swarmcdn.torrent.peerwire.MessageId;
import java.util.List;

/**
 * Who may download from us (BEP 3 "Choking and Optimism"): every round, the interested peers are
 * ranked by rate (while downloading: what they give us, tit-for-tat; once we seed: how fast they
 * take from us) and the best {@code uploadSlots} are unchoked, plus one optimistic unchoke that
 * moves every few rounds to the interested peer that waited longest for one, so newcomers get a
 * chance to prove themselves. Between rounds a free slot is given at once to a newly interested
 * peer, so a download starts without waiting for the next round.
 */
final class Choker {

    private final TorrentEngine engine;
    private long lastRound = -1;
    private int round;
    private PeerSession optimistic;

    Choker(TorrentEngine engine) {
        this.engine = engine;
    }

    void peerInterested(PeerSession p) {
        if (p.amChoking && unchokedCount() < engine.config.uploadSlots + 1) {
            unchoke(p);
        }
    }

    void peerNotInterested(PeerSession p) {
        if (!p.amChoking) {
            choke(p);
            fillFreeSlots();
        }
    }

    void peerGone(PeerSession p) {
        if (optimistic == p) {
            optimistic = null;
        }
        if (!p.amChoking) {
            p.amChoking = true;
            fillFreeSlots();
        }
    }

    void tick(long now) {
        if (lastRound >= 0 && now - lastRound < engine.config.chokeIntervalMillis) {
            return;
        }
        lastRound = now;
        rechoke(now, round++ % engine.config.optimisticEveryRounds == 0);
    }

    /** One choking round; {@code rotate} moves the optimistic slot. */
    void rechoke(long now, boolean rotate) {
        PeerSession[] ranked = candidates();
        int n = ranked.length;
        int regular = Math.min(engine.config.uploadSlots, n);
        sortByRate(ranked, engine.isComplete());
        boolean optimisticValid = false;
        if (optimistic != null && !rotate) {
            for (int i = regular; i < n; i++) {
                if (ranked[i] == optimistic) {
                    optimisticValid = true;
                }
            }
        }
        if (!optimisticValid) {
            optimistic = null;
            for (int i = regular; i < n; i++) {
                if (optimistic == null || ranked[i].lastOptimistic < optimistic.lastOptimistic) {
                    optimistic = ranked[i];
                }
            }
            if (optimistic != null) {
                optimistic.lastOptimistic = now;
            }
        }
        for (PeerSession p : engine.sessions()) {
            boolean unchoke = p == optimistic;
            for (int i = 0; i < regular && !unchoke; i++) {
                unchoke = ranked[i] == p;
            }
            if (unchoke && p.amChoking) {
                unchoke(p);
            } else if (!unchoke && !p.amChoking) {
                choke(p);
            }
        }
    }

    private void fillFreeSlots() {
        PeerSession[] ranked = candidates();
        sortByRate(ranked, engine.isComplete());
        int free = engine.config.uploadSlots + 1 - unchokedCount();
        for (int i = 0; i < ranked.length && free > 0; i++) {
            if (ranked[i].amChoking) {
                unchoke(ranked[i]);
                free--;
            }
        }
    }

    private PeerSession[] candidates() {
        List<PeerSession> all = engine.sessions();
        int n = 0;
        PeerSession[] out = new PeerSession[all.size()];
        for (PeerSession p : all) {
            if (p.handshakeDone && !p.closed && p.peerInterested) {
                out[n++] = p;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private int unchokedCount() {
        int n = 0;
        for (PeerSession p : engine.sessions()) {
            if (!p.amChoking) {
                n++;
            }
        }
        return n;
    }

    /** Insertion sort, fastest first: peer lists are short, and no boxing comparator. */
    private static void sortByRate(PeerSession[] a, boolean seeding) {
        for (int i = 1; i < a.length; i++) {
            PeerSession x = a[i];
            int rx = rate(x, seeding);
            int j = i - 1;
            while (j >= 0 && rate(a[j], seeding) < rx) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = x;
        }
    }

    private static int rate(PeerSession p, boolean seeding) {
        return seeding ? p.up.rate() : p.down.rate();
    }

    private void unchoke(PeerSession p) {
        p.amChoking = false;
        p.sendSimple(MessageId.UNCHOKE);
    }

    private void choke(PeerSession p) {
        p.amChoking = true;
        p.sendSimple(MessageId.CHOKE);
        engine.uploads.choked(p);
    }
}
