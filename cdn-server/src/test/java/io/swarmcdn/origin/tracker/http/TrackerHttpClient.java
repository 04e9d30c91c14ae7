package io.swarmcdn.origin.tracker.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmcdn.torrent.bencode.BDictionary;
import io.swarmcdn.torrent.bencode.BencodeDecoder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Talks to the HTTP tracker over real HTTP, encoding binary parameters as BitTorrent clients do. */
public final class TrackerHttpClient {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String base;

  public TrackerHttpClient(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  public static byte[] randomId() {
    byte[] id = new byte[20];
    ThreadLocalRandom.current().nextBytes(id);
    return id;
  }

  /** Percent-encodes every byte that is not unreserved (RFC 3986), like libtorrent. */
  public static String encode(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    for (byte b : bytes) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.' || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
      }
    }
    return out.toString();
  }

  /** Parameters of a typical announce; tests change or remove entries. */
  public static Map<String, String> announceParams(byte[] infoHash, byte[] peerId, int port, long left) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("info_hash", encode(infoHash));
    params.put("peer_id", encode(peerId));
    params.put("port", Integer.toString(port));
    params.put("uploaded", "0");
    params.put("downloaded", "0");
    params.put("left", Long.toString(left));
    params.put("compact", "1");
    return params;
  }

  public BDictionary announce(Map<String, String> params) {
    return get("/announce?" + query(params));
  }

  public BDictionary scrape(byte[]... infoHashes) {
    StringBuilder query = new StringBuilder();
    for (byte[] infoHash : infoHashes) {
      query.append(query.length() == 0 ? "" : "&").append("info_hash=").append(encode(infoHash));
    }
    return get("/scrape?" + query);
  }

  /** GET with a raw (already encoded) path and query; asserts HTTP 200 and decodes the body. */
  public BDictionary get(String pathAndQuery) {
    try {
      HttpResponse<byte[]> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(response.statusCode()).as("tracker replies use HTTP 200").isEqualTo(200);
      return (BDictionary) BencodeDecoder.decode(response.body());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String query(Map<String, String> params) {
    StringBuilder query = new StringBuilder();
    params.forEach(
        (name, value) -> query.append(query.length() == 0 ? "" : "&").append(name).append('=').append(value));
    return query.toString();
  }
}
