package io.swarmcdn.origin.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmcdn.origin.OriginServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The media endpoint over real HTTP: ranges, conditional requests, CORS, traversal, stats. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MediaEndpointTest {
  @TempDir static Path dir;
  static OriginServer server;
  static byte[] content;
  static String etag;

  @BeforeAll
  static void start() throws Exception {
    content = new byte[300_000];
    new Random(7).nextBytes(content);
    server = new OriginServer(dir.resolve("media"), dir.resolve("data"));
    Files.createDirectories(server.media());
    server.putMedia("videos/clip one.mp4", content);
    server.putMedia(".hidden.mp4", content);
    server.putMedia("videos/partial.mp4.part", content);
    Files.writeString(dir.resolve("secret.txt"), "outside the media folder");
    Files.createSymbolicLink(server.media().resolve("escape.txt"), dir.resolve("secret.txt"));
    server.start();
    etag = "\"" + server.awaitReady("videos/clip one.mp4").get("infoHash").asString() + "\"";
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<byte[]> get(String... headers) throws Exception {
    HttpRequest.Builder b = server.request("/media/videos/clip%20one.mp4").GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    return server.send(b.build());
  }

  @Test
  void wholeFileWithValidators() throws Exception {
    HttpResponse<byte[]> r = get();
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(content);
    assertThat(r.headers().firstValue("Accept-Ranges")).hasValue("bytes");
    assertThat(r.headers().firstValue("ETag")).hasValue(etag);
    assertThat(r.headers().firstValue("Last-Modified")).isPresent();
    assertThat(r.headers().firstValue("Content-Type")).hasValue("video/mp4");
  }

  @Test
  void singleRangesAnswer206WithContentRange() throws Exception {
    HttpResponse<byte[]> r = get("Range", "bytes=1000-1999");
    assertThat(r.statusCode()).isEqualTo(206);
    assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes 1000-1999/300000");
    assertThat(r.body()).isEqualTo(Arrays.copyOfRange(content, 1000, 2000));

    r = get("Range", "bytes=299990-");
    assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes 299990-299999/300000");
    assertThat(r.body()).isEqualTo(Arrays.copyOfRange(content, 299_990, 300_000));

    r = get("Range", "bytes=-100");
    assertThat(r.statusCode()).isEqualTo(206);
    assertThat(r.body()).isEqualTo(Arrays.copyOfRange(content, 299_900, 300_000));

    r = get("Range", "bytes=299000-999999");
    assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes 299000-299999/300000");
    assertThat(r.body()).hasSize(1000);
  }

  /** Regression: a write to a media URL was Spring's generic 404, as if the file did not exist. */
  @Test
  void writesToMediaAnswer405WithAllow() throws Exception {
    for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH"}) {
      HttpResponse<byte[]> r = server.send(server.request("/media/videos/clip%20one.mp4")
          .method(method, HttpRequest.BodyPublishers.ofString("x")).build());
      assertThat(r.statusCode()).as(method).isEqualTo(405);
      assertThat(r.headers().firstValue("Allow")).as(method).hasValue("GET, HEAD, OPTIONS");
      assertThat(OriginServer.JSON.readTree(r.body()).get("error").asString())
          .isEqualTo("method_not_allowed");
    }
    assertThat(get().body()).as("the file is untouched").isEqualTo(content);
  }

  @Test
  void unsatisfiableRangeAnswers416() throws Exception {
    HttpResponse<byte[]> r = get("Range", "bytes=300000-300100");
    assertThat(r.statusCode()).isEqualTo(416);
    assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes */300000");
    assertThat(get("Range", "bytes=-0").statusCode()).isEqualTo(416);
  }

  @Test
  void malformedOrMultipleRangesServeTheWholeFile() throws Exception {
    assertThat(get("Range", "bytes=0-1,5-6").statusCode()).isEqualTo(200);
    assertThat(get("Range", "bytes=9-1").statusCode()).isEqualTo(200);
    assertThat(get("Range", "items=0-1").body()).hasSize(content.length);
  }

  @Test
  void headHasTheHeadersButNoBody() throws Exception {
    HttpResponse<byte[]> r = server.send(server.request("/media/videos/clip%20one.mp4")
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Length")).hasValue("300000");
    assertThat(r.headers().firstValue("ETag")).hasValue(etag);
    assertThat(r.body()).isEmpty();
    HttpResponse<byte[]> ranged = server.send(server.request("/media/videos/clip%20one.mp4")
        .header("Range", "bytes=0-9").method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
    assertThat(ranged.statusCode()).isEqualTo(206);
    assertThat(ranged.headers().firstValue("Content-Length")).hasValue("10");
  }

  @Test
  void conditionalRequests() throws Exception {
    assertThat(get("If-None-Match", etag).statusCode()).isEqualTo(304);
    assertThat(get("If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
    String lastModified = get().headers().firstValue("Last-Modified").orElseThrow();
    assertThat(get("If-Modified-Since", lastModified).statusCode()).isEqualTo(304);
  }

  @Test
  void ifRangeHonoursTheRangeOnlyForTheCurrentRepresentation() throws Exception {
    assertThat(get("Range", "bytes=0-9", "If-Range", etag).statusCode()).isEqualTo(206);
    HttpResponse<byte[]> stale = get("Range", "bytes=0-9", "If-Range", "\"0000\"");
    assertThat(stale.statusCode()).isEqualTo(200);
    assertThat(stale.body()).hasSize(content.length);
    String lastModified = get().headers().firstValue("Last-Modified").orElseThrow();
    assertThat(get("Range", "bytes=0-9", "If-Range", lastModified).statusCode()).isEqualTo(206);
    assertThat(get("Range", "bytes=0-9", "If-Range", "Sat, 01 Jan 2000 00:00:00 GMT")
        .statusCode()).isEqualTo(200);
  }

  @Test
  void corsPreflightAllowsWebSeedHeaders() throws Exception {
    HttpResponse<byte[]> r = server.send(server.request("/media/videos/clip%20one.mp4")
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", "https://site.example")
        .header("Access-Control-Request-Method", "GET")
        .header("Access-Control-Request-Headers", "range, cache-control, user-agent, if-range")
        .build());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    assertThat(r.headers().firstValue("Access-Control-Allow-Headers").orElseThrow().toLowerCase())
        .contains("range", "cache-control", "user-agent", "if-range");

    HttpResponse<byte[]> actual = get("Origin", "https://site.example", "Range", "bytes=0-0");
    assertThat(actual.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    assertThat(actual.headers().firstValue("Access-Control-Expose-Headers").orElseThrow())
        .contains("Content-Range", "Content-Length", "ETag", "Accept-Ranges");
  }

  @Test
  void everyMediaAnswerCarriesCorsHeadersForAnyOrigin() throws Exception {
    String origin = "Origin: https://site.example";
    try (RawHttp c = new RawHttp(server.port())) {
      for (String[] request : new String[][] {
          {"GET", "/media/videos/clip%20one.mp4", "200"},
          {"HEAD", "/media/videos/clip%20one.mp4", "200"},
          {"GET", "/media/videos/clip%20one.mp4|Range: bytes=999999-", "416"},
          {"GET", "/media/videos/clip%20one.mp4|If-None-Match: " + etag, "304"},
          {"GET", "/media/nothing.mp4", "404"},
          {"GET", "/media/%2e%2e/x", "400"}}) {
        String[] target = request[1].split("\\|");
        String[] headers = target.length > 1 ? new String[] {origin, target[1]} : new String[] {origin};
        c.send(request[0], target[0], headers);
        RawHttp.Response r = c.read(request[0].equals("HEAD"));
        assertThat(r.status()).as(String.join(" ", request)).isEqualTo(Integer.parseInt(request[2]));
        assertThat(r.header("Access-Control-Allow-Origin")).as(request[1]).isEqualTo("*");
        assertThat(r.header("Access-Control-Expose-Headers")).as(request[1])
            .contains("Content-Range", "Content-Length", "ETag", "Accept-Ranges");
        assertThat(r.header("Vary")).as(request[1]).containsIgnoringCase("origin");
      }
    }
  }

  /** RFC 9110 section 6.6.1: an origin server with a clock MUST send Date (2xx, 3xx, 4xx). */
  @Test
  void everyMediaAnswerHasTheCurrentDate() throws Exception {
    try (RawHttp c = new RawHttp(server.port())) {
      for (String[] request : new String[][] {
          {"GET", "/media/videos/clip%20one.mp4", "200"},
          {"HEAD", "/media/videos/clip%20one.mp4", "200"},
          {"GET", "/media/videos/clip%20one.mp4|Range: bytes=0-9", "206"},
          {"HEAD", "/media/videos/clip%20one.mp4|Range: bytes=0-9", "206"},
          {"GET", "/media/videos/clip%20one.mp4|If-None-Match: " + etag, "304"},
          {"GET", "/media/videos/clip%20one.mp4|If-Match: \"other\"", "412"},
          {"GET", "/media/videos/clip%20one.mp4|Range: bytes=999999-", "416"},
          {"HEAD", "/media/nothing.mp4", "404"},
          {"GET", "/media/nothing.mp4", "404"},
          {"GET", "/media/%2e%2e/x", "400"},
          {"OPTIONS", "/media/videos/clip%20one.mp4|Origin: https://site.example"
              + "|Access-Control-Request-Method: GET|Access-Control-Request-Headers: range", "200"},
          {"POST", "/media/videos/clip%20one.mp4|Content-Length: 0", "405"}}) {
        String[] target = request[1].split("\\|");
        String[] headers = Arrays.copyOfRange(target, 1, target.length);
        long before = System.currentTimeMillis() / 1000;
        c.send(request[0], target[0], headers);
        RawHttp.Response r = c.read(request[0].equals("HEAD"));
        long after = System.currentTimeMillis() / 1000;
        String what = String.join(" ", request);
        assertThat(r.status()).as(what).isEqualTo(Integer.parseInt(request[2]));
        assertThat(r.header("Date")).as(what).matches(
            "(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d\\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
                + " \\d{4} \\d\\d:\\d\\d:\\d\\d GMT");
        assertThat(HttpDate.parse(r.header("Date"))).as(what).isBetween(before, after);
      }
    }
  }

  @Test
  void preconditionsAreEvaluatedInRfc9110Order() throws Exception {
    assertThat(get("If-Match", "\"other\"").statusCode()).isEqualTo(412);
    assertThat(get("If-Match", etag).statusCode()).isEqualTo(200);
    assertThat(get("If-Unmodified-Since", "Sat, 01 Jan 2000 00:00:00 GMT").statusCode())
        .isEqualTo(412);
    assertThat(get("If-None-Match", "\"x\", W/" + etag).statusCode()).isEqualTo(304);
    String lastModified = get().headers().firstValue("Last-Modified").orElseThrow();
    assertThat(get("If-None-Match", "\"x\"", "If-Modified-Since", lastModified).statusCode())
        .as("If-Modified-Since is ignored when If-None-Match is present").isEqualTo(200);
    HttpResponse<byte[]> notModified = get("If-Modified-Since", lastModified);
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(notModified.headers().firstValue("ETag")).hasValue(etag);
  }

  @Test
  void absoluteFormTargetsAndQueriesNameTheSameFile() throws Exception {
    try (RawHttp c = new RawHttp(server.port())) {
      c.send("GET", "http://127.0.0.1:" + server.port() + "/media/videos/clip%20one.mp4",
          "Range: bytes=0-9");
      assertThat(c.read(false).body()).isEqualTo(Arrays.copyOfRange(content, 0, 10));
      c.send("GET", "/media/videos/clip%20one.mp4?cache-buster=1#frag", "Range: bytes=10-19");
      assertThat(c.read(false).body()).isEqualTo(Arrays.copyOfRange(content, 10, 20));
    }
  }

  /**
   * A web seed fetches piece after piece on one connection: every answer must be framed exactly
   * (HEAD, 304, 416 and errors without or with their own body) or the next one is garbage. Half of
   * the requests go out pipelined, before their predecessors are answered.
   */
  @Test
  void oneKeepAliveConnectionServesManyRangeRequests() throws Exception {
    Random random = new Random(3);
    try (RawHttp c = new RawHttp(server.port())) {
      for (int round = 0; round < 100; round++) {
        int first = random.nextInt(content.length - 20_000);
        int last = first + random.nextInt(20_000);
        String range = "Range: bytes=" + first + "-" + last;
        String target = "/media/videos/clip%20one.mp4";
        c.send("GET", target, range);
        c.send(round % 2 == 0 ? "HEAD" : "GET", round % 3 == 0 ? "/media/none.bin" : target,
            round % 5 == 0 ? "Range: bytes=400000-" : "If-None-Match: " + etag);
        RawHttp.Response piece = c.read(false);
        assertThat(piece.status()).isEqualTo(206);
        assertThat(piece.header("Content-Range"))
            .isEqualTo("bytes " + first + "-" + last + "/" + content.length);
        assertThat(piece.body()).isEqualTo(Arrays.copyOfRange(content, first, last + 1));
        RawHttp.Response other = c.read(round % 2 == 0);
        assertThat(other.status()).isEqualTo(round % 3 == 0 ? 404 : round % 5 == 0 ? 416 : 304);
        if (round % 3 == 0 && round % 2 != 0) {
          assertThat(new String(other.body(), java.nio.charset.StandardCharsets.UTF_8))
              .contains("\"error\":\"not_found\"");
        }
      }
    }
  }

  @Test
  void traversalAttemptsAreRejectedWith400() throws Exception {
    for (String path : new String[] {
        "/media/../data/catalog.json", "/media/%2e%2e/data/catalog.json",
        "/media/videos/%2E%2E/%2e%2e/secret.txt", "/media/videos%2F..%2F..%2Fsecret.txt",
        "/media/%2Fetc%2Fpasswd", "/media/videos/..%5C..%5Csecret.txt"}) {
      assertThat(rawGet(path)).as(path).startsWith("HTTP/1.1 400")
          .contains("\"error\":\"bad_request\"");
    }
    // The server merges the empty segment: this names "etc/passwd" inside the media folder.
    assertThat(rawGet("/media//etc/passwd")).startsWith("HTTP/1.1 404");
  }

  private static String rawGet(String path) throws Exception {
    return server.raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  }

  @Test
  void hiddenTemporaryAndEscapingFilesAreNotPublished() throws Exception {
    JsonNode items = server.json("/api/v1/files").get("items");
    assertThat(items).hasSize(1);
    assertThat(server.get("/media/escape.txt").statusCode()).isEqualTo(404);
    assertThat(server.get("/media/.hidden.mp4").statusCode()).isEqualTo(404);
    assertThat(server.get("/media/videos/partial.mp4.part").statusCode()).isEqualTo(404);
  }

  /** aria2c fetches the file from its .torrent through the web seed alone (no tracker, no peer). */
  @Test
  void aria2cDownloadsThroughTheWebSeed() throws Exception {
    String hash = etag.replace("\"", "");
    HttpResponse<byte[]> torrent = server.send(server.request("/torrents/" + hash + ".torrent")
        .GET().build());
    assertThat(torrent.statusCode()).isEqualTo(200);
    assertThat(torrent.headers().firstValue("Content-Type")).hasValue("application/x-bittorrent");
    Path out = Files.createDirectories(dir.resolve("aria2"));
    Path torrentFile = out.resolve("t.torrent");
    Files.write(torrentFile, torrent.body());
    Process aria = new ProcessBuilder("aria2c", "--dir=" + out, "--seed-time=0",
        "--bt-exclude-tracker=*", "--enable-dht=false", "--enable-dht6=false",
        "--bt-enable-lpd=false", "--enable-peer-exchange=false", "--listen-port=" + freePort(), "--interface=127.0.0.1",
        "--check-integrity=true", "--summary-interval=0", "--console-log-level=warn",
        torrentFile.toString())
        .redirectErrorStream(true).redirectOutput(out.resolve("aria2.log").toFile()).start();
    try {
      assertThat(aria.waitFor(60, TimeUnit.SECONDS)).as("aria2c finished").isTrue();
      assertThat(aria.exitValue()).as(Files.readString(out.resolve("aria2.log"))).isZero();
    } finally {
      aria.destroyForcibly();
    }
    byte[] downloaded = Files.readAllBytes(out.resolve("clip one.mp4"));
    assertThat(java.security.MessageDigest.getInstance("SHA-1").digest(downloaded))
        .isEqualTo(java.security.MessageDigest.getInstance("SHA-1").digest(content));
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void unknownRoutesAnswerJson404() throws Exception {
    HttpResponse<String> r = server.get("/no/such/route");
    assertThat(r.statusCode()).isEqualTo(404);
    JsonNode body = OriginServer.JSON.readTree(r.body());
    assertThat(body.get("error").asString()).isEqualTo("not_found");
    assertThat(body.get("message").asString()).isNotBlank();
  }

  @Test
  void originBytesAreCountedPerFileAndProtected() throws Exception {
    assertThat(server.get("/api/v1/admin/stats/origin").statusCode()).isEqualTo(401);
    long before = originBytes();
    get("Range", "bytes=0-4095");
    OriginServer.await(java.time.Duration.ofSeconds(10), () -> originBytesUnchecked() >= before + 4096);
    assertThat(server.get("/actuator/prometheus").statusCode()).isEqualTo(401);
    HttpResponse<String> prometheus = server.http.send(
        server.authorized("/actuator/prometheus").GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(prometheus.body()).contains("swarmcdn_origin_bytes_total{info_hash=\""
        + etag.replace("\"", ""));
    assertThat(server.get("/actuator/health").body()).contains("UP");
  }

  private static long originBytesUnchecked() {
    try {
      return originBytes();
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  private static long originBytes() throws Exception {
    HttpResponse<String> r = server.http.send(server.authorized("/api/v1/admin/stats/origin")
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return OriginServer.JSON.readTree(r.body()).get("totalBytes").asLong();
  }
}
