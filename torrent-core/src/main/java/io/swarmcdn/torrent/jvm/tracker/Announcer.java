package io.swarmcdn.torrent.jvm.tracker;

import io.swarmcdn.torrent.metainfo.InfoHash;
import io.swarmcdn.torrent.tracker.AnnounceRequest;
import io.swarmcdn.torrent.tracker.AnnounceRequest.Event;
import io.swarmcdn.torrent.tracker.AnnounceResponse;
import io.swarmcdn.torrent.tracker.PeerAddress;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Keeps announcing one torrent to its HTTP trackers on a background thread (BEP 3): {@code started}
 * first, then every {@code interval} the tracker asks for (clamped to
 * [{@link #MIN_INTERVAL_SECONDS}, {@link #MAX_INTERVAL_SECONDS}]), {@code completed} when told,
 * {@code stopped} on close. A tracker that fails is retried later, with back-off; trackers that are
 * not HTTP(S) (UDP, WebSocket) are skipped.
 */
public final class Announcer implements AutoCloseable {

    /** Never announce more often than this, whatever a tracker says. */
    public static final int MIN_INTERVAL_SECONDS = 30;
    /** Never wait longer than this between announces. */
    public static final int MAX_INTERVAL_SECONDS = 1800;
    /** Peers asked for per announce. */
    static final int NUM_WANT = 50;

    /** Transfer totals reported to the tracker. */
    public record Totals(long uploaded, long downloaded, long left) {
    }

    private final HttpTrackerClient client;
    private final List<String> trackers = new ArrayList<>();
    private final InfoHash infoHash;
    private final byte[] peerId;
    private final int port;
    private final Supplier<Totals> totals;
    private final Consumer<List<PeerAddress>> peers;
    private final Consumer<String> log;
    private final ScheduledExecutorService timer;

    /**
     * @param totals read before every announce (from any thread: it must be thread-safe)
     * @param peers receives each successful reply's peers (on the announcer's thread)
     * @param log receives one line per tracker failure
     */
    public Announcer(HttpTrackerClient client, List<String> trackerUrls, InfoHash infoHash,
            byte[] peerId, int port, Supplier<Totals> totals, Consumer<List<PeerAddress>> peers,
            Consumer<String> log) {
        this.client = client;
        for (String url : trackerUrls) {
            if ((url.startsWith("http://") || url.startsWith("https://")) && !trackers.contains(url)) {
                trackers.add(url);
            }
        }
        this.infoHash = infoHash;
        this.peerId = peerId.clone();
        this.port = port;
        this.totals = totals;
        this.peers = peers;
        this.log = log;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "swarmcdn-announce");
            t.setDaemon(true);
            return t;
        });
    }

    /** The HTTP(S) trackers that will be used. */
    public List<String> trackers() {
        return List.copyOf(trackers);
    }

    /** Sends {@code started} to every tracker now, then keeps re-announcing. */
    public void start() {
        for (String url : trackers) {
            timer.execute(() -> announce(url, Event.STARTED, MIN_INTERVAL_SECONDS));
        }
    }

    /** Tells every tracker the download completed (BEP 3 {@code completed}). */
    public void completed() {
        for (String url : trackers) {
            timer.execute(() -> send(url, Event.COMPLETED));
        }
    }

    private void announce(String url, Event event, int retrySeconds) {
        if (timer.isShutdown()) {
            return;
        }
        AnnounceResponse r = send(url, event);
        int next;
        Event nextEvent = Event.NONE;
        if (r != null && !r.isFailure()) {
            next = Math.max(MIN_INTERVAL_SECONDS, Math.min(MAX_INTERVAL_SECONDS, r.interval()));
            retrySeconds = MIN_INTERVAL_SECONDS;
        } else {
            next = retrySeconds;
            retrySeconds = Math.min(MAX_INTERVAL_SECONDS, retrySeconds * 2);
            if (event == Event.STARTED) {
                nextEvent = Event.STARTED; // the tracker never heard of us: start again
            }
        }
        int retry = retrySeconds;
        Event e = nextEvent;
        if (!timer.isShutdown()) {
            timer.schedule(() -> announce(url, e, retry), next, TimeUnit.SECONDS);
        }
    }

    private AnnounceResponse send(String url, Event event) {
        Totals t = totals.get();
        AnnounceRequest req = new AnnounceRequest(infoHash, peerId, port, t.uploaded(),
                t.downloaded(), t.left(), event, event == Event.STOPPED ? 0 : NUM_WANT);
        try {
            AnnounceResponse r = client.announce(url, req);
            if (r.isFailure()) {
                log.accept("tracker " + url + " refused: " + r.failureReason());
            } else if (!r.peers().isEmpty()) {
                peers.accept(r.peers());
            }
            return r;
        } catch (IOException | RuntimeException e) {
            log.accept("tracker " + url + ": " + e.getMessage());
            return null;
        }
    }

    /** Sends {@code stopped} (best effort, bounded by the client's timeout) and stops. */
    @Override
    public void close() {
        timer.shutdownNow();
        for (String url : trackers) {
            send(url, Event.STOPPED);
        }
    }
}
