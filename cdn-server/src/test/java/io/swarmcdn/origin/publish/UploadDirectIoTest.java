package io.swarmcdn.origin.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmcdn.origin.OriginServer;
import io.swarmcdn.torrent.create.PieceLengths;
import io.swarmcdn.torrent.metainfo.Metainfo;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Uploads written with O_DIRECT ({@link DirectWriter}, the default here: the test folders are on
 * ext4) and through the page cache ({@code swarmcdn.upload-direct-io=false}, the path a file
 * system without O_DIRECT takes), over real HTTP, at every size where the aligned blocks could
 * go wrong: one byte, around the 4 KiB alignment, around a 16 KiB piece, around the
 * aligned block ({@link UploadWriters#BLOCK_BYTES}), and sizes that are multiples of none of them. Each published file must hold
 * exactly the uploaded bytes and every piece hash must match them (an empty upload is refused:
 * {@code UploadApiTest.emptyUploadAnswers400NotA500}).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class UploadDirectIoTest {
  static final int BLOCK = UploadWriters.BLOCK_BYTES;
  /** Linux {@code O_DIRECT} on x86-64, the test machines' architecture. */
  static final int O_DIRECT = 040000;

  /**
   * The upload size limit, which sets the piece length of an upload without a Content-Length:
   * large enough for pieces of two blocks ({@link PieceLengths#automatic}).
   */
  static final String MAX_UPLOAD =
      "--swarmcdn.max-upload-size=" + 2L * BLOCK * PieceLengths.TARGET_PIECES + "B";

  @TempDir static Path dir;
  static OriginServer direct;
  static OriginServer buffered;

  @BeforeAll
  static void start() {
    direct = new OriginServer(dir.resolve("d/media"), dir.resolve("d/data"),
        MAX_UPLOAD).start();
    buffered = new OriginServer(dir.resolve("b/media"), dir.resolve("b/data"),
        MAX_UPLOAD, "--swarmcdn.upload-direct-io=false").start();
  }

  @AfterAll
  static void stop() {
    if (direct != null) {
      direct.close();
    }
    if (buffered != null) {
      buffered.close();
    }
  }

  @Test
  void directIoIsUsedWhereTheFileSystemHasIt() {
    assertThat(direct.bean(UploadWriters.class).direct()).isTrue();
    assertThat(buffered.bean(UploadWriters.class).direct()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 4095, 4096, 4097, 16383, 16384, 16385, 100_000,
      BLOCK - 1, BLOCK, BLOCK + 1, 3 * BLOCK + 12_345})
  void everySizeIsWrittenAndHashedExactly(int size) throws Exception {
    for (OriginServer server : new OriginServer[] {direct, buffered}) {
      byte[] content = UploadApiTest.random(size, size);
      String path = "sizes/" + size + ".bin";
      HttpResponse<String> r = UploadApiTest.freshClient().send(server.authorized(
          "/api/v1/files?path=" + path).POST(HttpRequest.BodyPublishers.ofByteArray(content))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      assertPublishedExactly(server, path, content, r.body());
    }
  }

  /**
   * Without a Content-Length the piece length comes from the size limit: pieces of two blocks,
   * so the direct writer's blocks grow to one piece each.
   */
  @Test
  void chunkedUploadWithPiecesLargerThanABlockIsWrittenExactly() throws Exception {
    byte[] content = UploadApiTest.random(4 * BLOCK + 4097, 77);
    for (OriginServer server : new OriginServer[] {direct, buffered}) {
      HttpResponse<String> r = UploadApiTest.freshClient().send(server.authorized(
          "/api/v1/files?path=chunked/odd.bin").POST(HttpRequest.BodyPublishers.ofInputStream(
              () -> new java.io.ByteArrayInputStream(content))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      assertThat(OriginServer.JSON.readTree(r.body()).get("pieceLength").asInt())
          .isEqualTo(2 * BLOCK);
      assertPublishedExactly(server, "chunked/odd.bin", content, r.body());
    }
  }

  @Test
  void overwriteWithAShorterUploadLeavesNoTailOfTheOldFile() throws Exception {
    byte[] longer = UploadApiTest.random(BLOCK + 5000, 5);
    byte[] shorter = UploadApiTest.random(4097, 6);
    for (OriginServer server : new OriginServer[] {direct, buffered}) {
      for (byte[] content : new byte[][] {longer, shorter}) {
        HttpResponse<String> r = UploadApiTest.freshClient().send(server.authorized(
            "/api/v1/files?path=over/file.bin&overwrite=true").POST(
                HttpRequest.BodyPublishers.ofByteArray(content)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertPublishedExactly(server, "over/file.bin", content, r.body());
      }
    }
  }

  /**
   * A raw upload with a Content-Length is read from the socket straight into its aligned blocks
   * (only what arrived before the upload began is copied), byte-exact.
   */
  @Test
  void aRawUploadIsReadIntoItsBlocksInPlace() throws Exception {
    UploadWriters writers = direct.bean(UploadWriters.class);
    long before = writers.bytesReadInPlace();
    byte[] content = UploadApiTest.random(4 * BLOCK + 777, 21);
    HttpResponse<String> r = UploadApiTest.freshClient().send(direct.authorized(
        "/api/v1/files?path=inplace/file.bin").POST(HttpRequest.BodyPublishers.ofByteArray(
            content)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertPublishedExactly(direct, "inplace/file.bin", content, r.body());
    assertThat(writers.bytesReadInPlace() - before).isGreaterThanOrEqualTo(BLOCK);
  }

  /**
   * A request pipelined right behind an upload's body, in the same packet, is not read into the
   * upload's blocks (reads in place stop at the body's end): the upload is exact and the next
   * request is answered.
   */
  @Test
  void aRequestPipelinedBehindAnUploadIsNotReadIntoIt() throws Exception {
    byte[] content = UploadApiTest.random(2 * BLOCK + 100, 22);
    try (Socket socket = new Socket("127.0.0.1", direct.port())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /api/v1/files?path=pipelined/file.bin HTTP/1.1\r\nHost: x\r\n"
          + "Authorization: Bearer " + OriginServer.TOKEN + "\r\n"
          + "Content-Length: " + content.length + "\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.write(content, 0, BLOCK);
      out.flush();
      Thread.sleep(200);
      java.io.ByteArrayOutputStream rest = new java.io.ByteArrayOutputStream();
      rest.write(content, BLOCK, content.length - BLOCK);
      rest.write("GET /api/v1/files HTTP/1.1\r\nHost: x\r\n\r\n"
          .getBytes(StandardCharsets.ISO_8859_1));
      out.write(rest.toByteArray());
      out.flush();
      InputStream in = socket.getInputStream();
      assertThat(status(in)).isEqualTo(201);
      assertThat(status(in)).isEqualTo(200);
    }
    assertThat(Files.readAllBytes(direct.media().resolve("pipelined/file.bin")))
        .isEqualTo(content);
  }

  /**
   * The temp file of an upload in progress is open with O_DIRECT on the direct server and
   * without it on the other (read from the kernel: /proc/self/fdinfo), and an upload aborted
   * midway leaves nothing behind in either mode.
   */
  @Test
  void uploadInProgressIsOpenWithODirectAndAnAbortLeavesNothing() throws Exception {
    assertThat(openFlagsOfUploadInProgress(direct) & O_DIRECT).isNotZero();
    assertThat(openFlagsOfUploadInProgress(buffered) & O_DIRECT).isZero();
  }

  private static int openFlagsOfUploadInProgress(OriginServer server) throws Exception {
    Path uploads = server.media().resolve(UploadArea.DIR);
    int flags;
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /api/v1/files?path=aborted/big.bin HTTP/1.1\r\nHost: x\r\n"
          + "Authorization: Bearer " + OriginServer.TOKEN + "\r\n"
          + "Content-Length: " + 4 * BLOCK + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.write(UploadApiTest.random(BLOCK + 4097, 9));
      out.flush();
      OriginServer.await(Duration.ofSeconds(10), () -> !openTempFiles(uploads).isEmpty());
      flags = openTempFiles(uploads).get(0);
    }
    OriginServer.await(Duration.ofSeconds(10), () -> {
      try (Stream<Path> temps = Files.list(uploads)) {
        return temps.findAny().isEmpty();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    assertThat(server.media().resolve("aborted/big.bin")).doesNotExist();
    return flags;
  }

  /**
   * Regression: every upload took up to 6 MiB of direct memory, however many ran at once, so
   * enough concurrent uploads could exhaust the direct memory that Netty needs for every
   * connection. Uploads beyond the budget are now written through the page cache, and each
   * gives its share back when it ends.
   */
  @Test
  void uploadsBeyondTheDirectMemoryBudgetAreWrittenBuffered() throws Exception {
    UploadWriters writers = direct.bean(UploadWriters.class);
    int withDirectIo = UploadWriters.DIRECT_BUDGET_BYTES / DirectWriter.reservedBytes(BLOCK);
    Path uploads = direct.media().resolve(UploadArea.DIR);
    List<Socket> sockets = new ArrayList<>();
    List<byte[]> contents = new ArrayList<>();
    try {
      for (int i = 0; i <= withDirectIo; i++) {
        byte[] content = UploadApiTest.random(2 * BLOCK + i, 100 + i);
        Socket socket = new Socket("127.0.0.1", direct.port());
        socket.setSoTimeout(30_000);
        sockets.add(socket);
        contents.add(content);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /api/v1/files?path=budget/" + i + ".bin HTTP/1.1\r\nHost: x\r\n"
            + "Authorization: Bearer " + OriginServer.TOKEN + "\r\n"
            + "Content-Length: " + content.length + "\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
        out.write(content, 0, 4097);
        out.flush();
        int open = i + 1;
        OriginServer.await(Duration.ofSeconds(10), () -> openTempFiles(uploads).size() == open);
      }
      List<Integer> flags = openTempFiles(uploads);
      assertThat(flags.stream().filter(f -> (f & O_DIRECT) != 0).count()).isEqualTo(withDirectIo);
      assertThat(flags.stream().filter(f -> (f & O_DIRECT) == 0).count()).isEqualTo(1);
      assertThat(writers.freeDirectBytes()).isLessThan(DirectWriter.reservedBytes(BLOCK));

      for (int i = 0; i < sockets.size(); i++) {
        byte[] content = contents.get(i);
        sockets.get(i).getOutputStream().write(content, 4097, content.length - 4097);
        String head = new String(sockets.get(i).getInputStream().readNBytes(12),
            StandardCharsets.ISO_8859_1);
        assertThat(head).isEqualTo("HTTP/1.1 201");
        assertThat(Files.readAllBytes(direct.media().resolve("budget/" + i + ".bin")))
            .isEqualTo(content);
      }
    } finally {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
    OriginServer.await(Duration.ofSeconds(10),
        () -> writers.freeDirectBytes() == UploadWriters.DIRECT_BUDGET_BYTES);
  }

  /** Reads one response (headers, then a Content-Length body) and returns its status. */
  private static int status(InputStream in) throws java.io.IOException {
    StringBuilder head = new StringBuilder();
    while (head.indexOf("\r\n\r\n") < 0) {
      int b = in.read();
      if (b < 0) {
        throw new java.io.IOException("connection closed after " + head);
      }
      head.append((char) b);
    }
    int length = 0;
    for (String line : head.toString().split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).strip());
      }
    }
    in.readNBytes(length);
    return Integer.parseInt(head.toString().split(" ")[1]);
  }

  /** The open flags (octal in fdinfo) of this process's descriptors of files in {@code dir}. */
  private static List<Integer> openTempFiles(Path dir) {
    List<Integer> flags = new ArrayList<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        Path target;
        try {
          target = Files.readSymbolicLink(fd);
        } catch (java.io.IOException e) {
          continue;
        }
        if (target.startsWith(dir) && target.toString().endsWith(".part")) {
          for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo")
              .resolve(fd.getFileName()))) {
            if (line.startsWith("flags:")) {
              flags.add(Integer.parseInt(line.substring(6).trim(), 8));
            }
          }
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return flags;
  }

  private static void assertPublishedExactly(OriginServer server, String path, byte[] content,
      String body) throws Exception {
    assertThat(Files.readAllBytes(server.media().resolve(path))).isEqualTo(content);
    JsonNode entry = OriginServer.JSON.readTree(body);
    assertThat(entry.get("size").asLong()).isEqualTo(content.length);
    String hash = entry.get("infoHash").asString();
    Metainfo torrent = Metainfo.parse(server.send(server.request("/torrents/" + hash
        + ".torrent").GET().build()).body());
    UploadApiTest.assertEveryPieceMatches(torrent, content);
    try (InputStream served = server.http.send(server.request("/media/" + path).GET().build(),
        HttpResponse.BodyHandlers.ofInputStream()).body()) {
      assertThat(served.readAllBytes()).isEqualTo(content);
    }
  }
}
