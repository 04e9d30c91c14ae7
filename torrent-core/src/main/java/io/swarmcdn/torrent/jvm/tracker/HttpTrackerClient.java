package io.swarmcdn.torrent.jvm.tracker;

import io.swarmcdn.torrent.tracker.AnnounceRequest;
import io.swarmcdn.torrent.tracker.AnnounceResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Announces to classic HTTP(S) trackers (BEP 3 with compact peers, BEP 23). Every reply is
 * untrusted: the body is read up to {@link AnnounceResponse#MAX_BODY_BYTES} and no further, and
 * the whole exchange is bounded by a timeout.
 */
public final class HttpTrackerClient {

    private final HttpClient http;
    private final Duration timeout;

    /** A client whose announces give up after {@code timeout} (connect plus reply). */
    public HttpTrackerClient(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /**
     * Sends {@code request} to the tracker at {@code announceUrl} and parses its reply. A tracker
     * {@code failure reason} is returned as a failure response, not thrown.
     *
     * @throws IOException when the tracker cannot be reached, answers with an HTTP error, or sends
     *     something that is not a tracker reply (the message says which)
     */
    public AnnounceResponse announce(String announceUrl, AnnounceRequest request)
            throws IOException {
        if (!announceUrl.startsWith("http://") && !announceUrl.startsWith("https://")) {
            throw new IOException("not an HTTP tracker: " + announceUrl);
        }
        URI uri;
        try {
            uri = URI.create(request.toUrl(announceUrl));
        } catch (IllegalArgumentException e) {
            throw new IOException("bad tracker URL " + announceUrl + ": " + e.getMessage(), e);
        }
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        HttpResponse<InputStream> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while announcing to " + announceUrl, e);
        }
        try (InputStream in = resp.body()) {
            if (resp.statusCode() != 200) {
                throw new IOException("tracker " + announceUrl + " answered HTTP " + resp.statusCode());
            }
            byte[] body = readBounded(in, AnnounceResponse.MAX_BODY_BYTES);
            try {
                return AnnounceResponse.parse(body);
            } catch (IllegalArgumentException e) {
                throw new IOException("tracker " + announceUrl + ": " + e.getMessage(), e);
            }
        }
    }

    private static byte[] readBounded(InputStream in, int max) throws IOException {
        byte[] all = in.readNBytes(max + 1);
        if (all.length > max) {
            throw new IOException("tracker reply larger than " + max + " bytes");
        }
        return all;
    }
}
