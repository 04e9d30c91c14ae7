package io.swarmcdn.origin.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmcdn.origin.OriginServer;
import io.swarmcdn.torrent.metainfo.Metainfo;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/** The publish API over real HTTP: auth, uploads (raw and multipart), limits, conflicts, delete. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class UploadApiTest {
  static final int LIMIT = 2_000_000;
  @TempDir static Path dir;
  static OriginServer server;

  @BeforeAll
  static void start() throws Exception {
    server = new OriginServer(dir.resolve("media"), dir.resolve("data"),
        "--swarmcdn.max-upload-size=" + LIMIT + "B").start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  static HttpResponse<String> upload(String query, byte[] body, boolean authorized)
      throws Exception {
    HttpRequest.Builder b = authorized
        ? server.authorized("/api/v1/files" + query) : server.request("/api/v1/files" + query);
    return sendOnFreshConnection(b.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }

  /**
   * Sends an upload over a client of its own. Regression for the DELETE-then-GET timeout
   * (deleteRemovesTheFileAndItsTorrent): the origin answers a refused upload (401, 400, 409, 413)
   * before reading its body and then closes the connection, as it must (RFC 9112 section 9.6).
   * JDK 17's HttpClient sometimes hands such a closed connection out of its pool again and the
   * next request on it waits out its timeout: at the hang no TCP connection to the origin
   * existed at all (ss) and both event loops sat idle in epoll_wait. Keeping every upload out of
   * the shared client's pool leaves it only connections the origin keeps open.
   */
  static HttpResponse<String> sendOnFreshConnection(HttpRequest request) throws Exception {
    return freshClient().send(request, HttpResponse.BodyHandlers.ofString());
  }

  static HttpClient freshClient() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** Nothing of an upload may remain: no file, no temp file in the upload area. */
  static void assertNothingLeftFor(String path) throws Exception {
    OriginServer.await(Duration.ofSeconds(10), () -> {
      try (Stream<Path> temps = Files.list(server.media().resolve(".uploads"))) {
        return temps.findAny().isEmpty();
      } catch (java.io.IOException e) {
        throw new RuntimeException(e);
      }
    });
    assertThat(server.media().resolve(path)).doesNotExist();
  }

  @Test
  void writesRequireTheToken() throws Exception {
    HttpResponse<String> r = upload("?path=auth/a.bin", random(10, 1), false);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).contains("\"error\":\"unauthorized\"");
    HttpResponse<String> wrong = sendOnFreshConnection(server.request("/api/v1/files?path=auth/a.bin")
        .header("Authorization", "Bearer " + OriginServer.TOKEN + "x")
        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[10])).build());
    assertThat(wrong.statusCode()).isEqualTo(401);
    HttpResponse<String> delete = server.http.send(server.request("/api/v1/files/"
        + "0".repeat(40)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(delete.statusCode()).isEqualTo(401);
    // A percent-encoded admin path is still the admin path.
    assertThat(server.get("/api/v1/%61dmin/stats/origin").statusCode()).isEqualTo(401);
    assertThat(server.media().resolve("auth")).doesNotExist();
  }

  @Test
  void rawUploadIsPublishedWithItsTorrent() throws Exception {
    byte[] content = random(700_000, 2);
    HttpResponse<String> r = upload("?path=raw/video.mp4", content, true);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode entry = OriginServer.JSON.readTree(r.body());
    String hash = entry.get("infoHash").asString();
    assertThat(entry.get("path").asString()).isEqualTo("raw/video.mp4");
    assertThat(entry.get("size").asLong()).isEqualTo(700_000);
    assertThat(entry.get("status").asString()).isEqualTo("ready");
    assertThat(entry.get("pieceLength").asInt()).isEqualTo(16384);
    assertThat(entry.get("pieces").asInt()).isEqualTo(43);
    assertThat(entry.get("mediaUrl").asString()).isEqualTo(server.url("/media/raw/video.mp4"));
    assertThat(entry.get("torrentUrl").asString())
        .isEqualTo(server.url("/torrents/" + hash + ".torrent"));
    assertThat(entry.get("magnetUri").asString()).startsWith("magnet:?xt=urn:btih:" + hash)
        .contains("&ws=http%3A%2F%2F127.0.0.1%3A" + server.port() + "%2Fmedia%2Fraw%2Fvideo.mp4")
        .contains("&xs=http%3A%2F%2F127.0.0.1%3A" + server.port() + "%2Ftorrents%2F" + hash);
    assertThat(r.headers().firstValue("Location")).hasValue("/api/v1/files/" + hash);
    assertThat(Files.readAllBytes(server.media().resolve("raw/video.mp4"))).isEqualTo(content);

    Metainfo torrent = Metainfo.parse(server.send(server.request("/torrents/" + hash + ".torrent")
        .GET().build()).body());
    assertThat(torrent.infoHash().hex()).isEqualTo(hash);
    assertThat(torrent.announce()).isEqualTo(server.url("/announce"));
    // Browsers speak only the WebSocket tracker: without its tier a stock WebTorrent finds no peers.
    String webSocketTracker = "ws://127.0.0.1:" + server.port() + "/announce";
    assertThat(torrent.announceList())
        .containsExactly(List.of(server.url("/announce")), List.of(webSocketTracker));
    assertThat(entry.get("magnetUri").asString())
        .contains("&tr=" + URLEncoder.encode(server.url("/announce"), StandardCharsets.UTF_8))
        .contains("&tr=" + URLEncoder.encode(webSocketTracker, StandardCharsets.UTF_8));
    assertThat(torrent.webSeeds()).containsExactly(server.url("/media/raw/video.mp4"));
    assertThat(torrent.info().pieceLength()).isEqualTo(16384);
    assertEveryPieceMatches(torrent, content);

    assertThat(server.json("/api/v1/files/" + hash).get("path").asString())
        .isEqualTo("raw/video.mp4");
    assertThat(server.json("/api/v1/lookup?url=" + java.net.URLEncoder.encode(
        "https://cdn.example/media/raw/video.mp4", StandardCharsets.UTF_8))
        .get("infoHash").asString()).isEqualTo(hash);
    assertThat(server.get("/api/v1/lookup?url=/elsewhere/video.mp4").statusCode()).isEqualTo(404);
  }

  @Test
  void uploadSpanningSeveralWriteBatchesIsWrittenAndHashedExactly() throws Exception {
    // Larger than GatheringWriter's batch, and not a multiple of it nor of the piece length.
    byte[] content = random(GatheringWriter.BATCH_BYTES * 3 / 2 + 12_345, 12);
    assertThat(content.length).isGreaterThan(GatheringWriter.BATCH_BYTES).isLessThan(LIMIT);
    HttpResponse<String> r = upload("?path=batches/big.bin", content, true);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(Files.readAllBytes(server.media().resolve("batches/big.bin"))).isEqualTo(content);
    String hash = OriginServer.JSON.readTree(r.body()).get("infoHash").asString();
    Metainfo torrent = Metainfo.parse(server.send(server.request("/torrents/" + hash + ".torrent")
        .GET().build()).body());
    assertEveryPieceMatches(torrent, content);
  }

  /** The torrent has exactly one piece per piece length of {@code content}, each hash its SHA-1. */
  static void assertEveryPieceMatches(Metainfo torrent, byte[] content) throws Exception {
    int pieceLength = torrent.info().pieceLength();
    assertThat(torrent.info().pieceCount())
        .isEqualTo((content.length + pieceLength - 1) / pieceLength);
    MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
    for (int i = 0; i < torrent.info().pieceCount(); i++) {
      int from = i * pieceLength;
      sha1.update(content, from, Math.min(pieceLength, content.length - from));
      assertThat(torrent.info().pieceHash(i)).as("piece " + i).isEqualTo(sha1.digest());
    }
  }

  @Test
  void multipartUploadTakesThePathFromTheFileName() throws Exception {
    byte[] content = random(50_000, 3);
    String boundary = "----swarmcdn-test";
    byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; "
        + "filename=\"form.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n")
        .getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[head.length + content.length + tail.length];
    System.arraycopy(head, 0, body, 0, head.length);
    System.arraycopy(content, 0, body, head.length, content.length);
    System.arraycopy(tail, 0, body, head.length + content.length, tail.length);
    HttpResponse<String> r = sendOnFreshConnection(server.authorized("/api/v1/files")
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(Files.readAllBytes(server.media().resolve("form.bin"))).isEqualTo(content);
  }

  @Test
  void existingPathConflictsUnlessOverwrite() throws Exception {
    assertThat(upload("?path=conflict.bin", random(1000, 4), true).statusCode()).isEqualTo(201);
    HttpResponse<String> again = upload("?path=conflict.bin", random(1000, 5), true);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.body()).contains("\"error\":\"conflict\"");
    byte[] replacement = random(2000, 6);
    HttpResponse<String> replaced = upload("?path=conflict.bin&overwrite=true", replacement, true);
    assertThat(replaced.statusCode()).isEqualTo(201);
    assertThat(Files.readAllBytes(server.media().resolve("conflict.bin"))).isEqualTo(replacement);
    JsonNode items = server.json("/api/v1/files?size=1000").get("items");
    assertThat(items.valueStream().filter(i -> i.get("path").asString().equals("conflict.bin")))
        .singleElement().satisfies(i -> assertThat(i.get("size").asLong()).isEqualTo(2000));
  }

  @Test
  void badPathsAnswer400() throws Exception {
    for (String path : new String[] {"/etc/passwd", "../escape.bin", "a/../../escape.bin",
        "a//b.bin", ".hidden", "x.part", "a%5C..%5Cb"}) {
      HttpResponse<String> r = upload("?path=" + path.replace("/", "%2F"), new byte[1], true);
      assertThat(r.statusCode()).as(path).isEqualTo(400);
      assertThat(r.body()).contains("\"error\":\"bad_request\"");
    }
    assertThat(upload("", new byte[1], true).statusCode()).isEqualTo(400);
    assertThat(dir.resolve("escape.bin")).doesNotExist();
    // Regression: bytes that are not UTF-8 became U+FFFD, a file under another name than asked.
    HttpResponse<String> notUtf8 = upload("?path=%C0%AE.bin", new byte[1], true);
    assertThat(notUtf8.statusCode()).isEqualTo(400);
    assertThat(notUtf8.body()).contains("UTF-8");
    try (var files = Files.list(server.media())) {
      assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.contains("\uFFFD"));
    }
  }

  /** Regression: any value but "true" was read as false: overwrite=yes was a 409, sync=no ignored. */
  @Test
  void flagsOtherThanTrueOrFalseAnswer400() throws Exception {
    for (String query : new String[] {"?path=flags.bin&overwrite=yes", "?path=flags.bin&sync=no",
        "?path=flags.bin&sync="}) {
      HttpResponse<String> r = upload(query, new byte[1], true);
      assertThat(r.statusCode()).as(query).isEqualTo(400);
      assertThat(r.body()).as(query).contains("must be true or false");
    }
    assertNothingLeftFor("flags.bin");
    assertThat(upload("?path=flags.bin&overwrite=TRUE&sync=False", new byte[1], true).statusCode())
        .isEqualTo(201);
  }

  /** Regression: an empty body reached the torrent builder, which threw: a 500. */
  @Test
  void emptyUploadAnswers400NotA500() throws Exception {
    HttpResponse<String> r = upload("?path=empty/nothing.bin", new byte[0], true);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("\"error\":\"bad_request\"").contains("empty");
    assertNothingLeftFor("empty/nothing.bin");
  }

  @Test
  void declaredOversizeIsRefusedBeforeReading() throws Exception {
    HttpResponse<String> r = upload("?path=big/declared.bin", new byte[LIMIT + 1], true);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.body()).contains("\"error\":\"content_too_large\"");
    assertNothingLeftFor("big/declared.bin");
  }

  /**
   * Regression: the origin closed the connection right after refusing an upload whose body it
   * had not read; the unread bytes made the kernel reset the connection, which dropped the 413
   * before the client could read it. Now the origin half-closes and discards the rest first.
   */
  @Test
  void refusedUploadIsAnsweredNotReset() throws Exception {
    int bodySize = 3 * LIMIT;
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /api/v1/files?path=big/refused.bin HTTP/1.1\r\nHost: x\r\n"
          + "Authorization: Bearer " + OriginServer.TOKEN + "\r\n"
          + "Content-Length: " + bodySize + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      byte[] chunk = new byte[64 * 1024];
      for (int sent = 0; sent < bodySize; sent += chunk.length) {
        out.write(chunk, 0, Math.min(chunk.length, bodySize - sent));
      }
      out.flush();
      String response = new String(socket.getInputStream().readAllBytes(),
          StandardCharsets.ISO_8859_1);
      assertThat(response).startsWith("HTTP/1.1 413").contains("\"error\":\"content_too_large\"");
    }
    assertNothingLeftFor("big/refused.bin");
  }

  @Test
  void streamedOversizeIsCutOffAndLeavesNothing() throws Exception {
    // Chunked: no Content-Length, so the limit is enforced while the bytes arrive.
    byte[] chunk = new byte[64 * 1024];
    HttpResponse<String> r = sendOnFreshConnection(
        server.authorized("/api/v1/files?path=big/chunked.bin").POST(HttpRequest.BodyPublishers.fromPublisher(
            HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.InputStream() {
              long left = 3L * LIMIT;
              @Override
              public int read() {
                return left-- > 0 ? 0 : -1;
              }
              @Override
              public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                  return -1;
                }
                int n = (int) Math.min(Math.min(len, chunk.length), left);
                left -= n;
                return n;
              }
            }))).build());
    // The rest of the body is read and discarded after the answer (lingering close), so the
    // client gets the 413 rather than a reset.
    assertThat(r.statusCode()).isEqualTo(413);
    assertNothingLeftFor("big/chunked.bin");
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void abortedUploadLeavesNothingBehind(CapturedOutput output) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /api/v1/files?path=aborted/a.bin HTTP/1.1\r\nHost: x\r\n"
          + "Authorization: Bearer " + OriginServer.TOKEN + "\r\n"
          + "Content-Length: 1000000\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.write(new byte[300_000]);
      out.flush();
      OriginServer.await(Duration.ofSeconds(10), () -> {
        try (Stream<Path> temps = Files.list(server.media().resolve(".uploads"))) {
          return temps.findAny().isPresent();
        } catch (java.io.IOException e) {
          throw new RuntimeException(e);
        }
      });
    }
    assertNothingLeftFor("aborted/a.bin");
    assertThat(server.get("/api/v1/lookup?url=/media/aborted/a.bin").statusCode()).isEqualTo(404);
    // Regression: a client that goes away was logged as an unhandled server error, with a trace.
    Thread.sleep(500);
    assertThat(output.getAll()).doesNotContain("Unhandled error");
  }

  @Test
  void concurrentUploadsOfDifferentFiles() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    List<byte[]> contents = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      byte[] content = random(300_000 + i, 100 + i);
      contents.add(content);
      responses.add(freshClient().sendAsync(server.authorized("/api/v1/files?path=concurrent/"
          + i + ".bin").POST(HttpRequest.BodyPublishers.ofByteArray(content)).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    for (int i = 0; i < 6; i++) {
      HttpResponse<String> r = responses.get(i).get(60, TimeUnit.SECONDS);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      assertThat(Files.readAllBytes(server.media().resolve("concurrent/" + i + ".bin")))
          .isEqualTo(contents.get(i));
      String hash = OriginServer.JSON.readTree(r.body()).get("infoHash").asString();
      assertThat(server.send(server.request("/media/concurrent/" + i + ".bin").GET().build())
          .body()).isEqualTo(contents.get(i));
      assertThat(server.json("/api/v1/files/" + hash).get("size").asLong())
          .isEqualTo(300_000 + i);
    }
  }

  @Test
  void unsyncedUploadRepliesBeforeItsFlushAndEntersTheSavedCatalogAfterIt() throws Exception {
    HttpResponse<String> r =
        upload("?path=durable/later.bin&sync=false", random(300_000, 10), true);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    String hash = OriginServer.JSON.readTree(r.body()).get("infoHash").asString();
    // Written by the background flush only, after the file's fsync.
    Path torrent = server.data().resolve("torrents/" + hash + ".torrent");
    OriginServer.await(Duration.ofSeconds(20), () -> savedCatalogNames("durable/later.bin"));
    assertThat(torrent).exists();
  }

  @Test
  void uploadRepliesOnlyOnceItsDataAndTorrentAreOnDiskByDefault() throws Exception {
    HttpResponse<String> r = upload("?path=durable/now.bin", random(300_000, 11), true);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    String hash = OriginServer.JSON.readTree(r.body()).get("infoHash").asString();
    assertThat(server.data().resolve("torrents/" + hash + ".torrent")).exists();
    OriginServer.await(Duration.ofSeconds(20), () -> savedCatalogNames("durable/now.bin"));
  }

  static boolean savedCatalogNames(String path) {
    try {
      Path catalog = server.data().resolve("catalog.json");
      return Files.exists(catalog)
          && OriginServer.JSON.readTree(Files.readAllBytes(catalog)).get("files").valueStream()
              .anyMatch(f -> f.get("path").asString().equals(path));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void deleteRemovesTheFileAndItsTorrent() throws Exception {
    HttpResponse<String> r = upload("?path=doomed.bin", random(5000, 9), true);
    String hash = OriginServer.JSON.readTree(r.body()).get("infoHash").asString();
    HttpResponse<String> deleted = server.http.send(server.authorized("/api/v1/files/" + hash)
        .DELETE().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(server.media().resolve("doomed.bin")).doesNotExist();
    assertThat(server.get("/torrents/" + hash + ".torrent").statusCode()).isEqualTo(404);
    assertThat(server.get("/api/v1/files/" + hash).statusCode()).isEqualTo(404);
    assertThat(server.get("/media/doomed.bin").statusCode()).isEqualTo(404);
    assertThat(server.get("/api/v1/files/not-a-hash").statusCode()).isEqualTo(400);
  }
}
