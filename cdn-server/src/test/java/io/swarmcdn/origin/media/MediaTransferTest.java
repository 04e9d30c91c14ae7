package io.swarmcdn.origin.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmcdn.origin.OriginServer;
import io.swarmcdn.origin.stats.OriginStats;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The media route under non-default settings: a restricted CORS origin list, response compression
 * switched on for the media type, and a file large enough that a client can abort mid-body.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MediaTransferTest {
  static final String ALLOWED = "https://allowed.example";
  static final int BIG = 48 << 20;

  @TempDir static Path dir;
  static OriginServer server;
  static byte[] content;

  @BeforeAll
  static void start() throws Exception {
    content = new byte[BIG];
    new Random(11).nextBytes(content);
    server = new OriginServer(dir.resolve("media"), dir.resolve("data"),
        "--swarmcdn.cors-origins=" + ALLOWED, "--server.compression.enabled=true",
        "--server.compression.mime-types=application/octet-stream",
        "--server.compression.min-response-size=0");
    Files.createDirectories(server.media());
    server.putMedia("big.bin", content);
    server.start();
    server.awaitReady("big.bin");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void restrictedCorsOriginsRefuseOtherOriginsWith403() throws Exception {
    try (RawHttp c = new RawHttp(server.port())) {
      c.send("GET", "/media/big.bin", "Origin: " + ALLOWED, "Range: bytes=0-9");
      RawHttp.Response allowed = c.read(false);
      assertThat(allowed.status()).isEqualTo(206);
      assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED);
      assertThat(allowed.header("Vary")).containsIgnoringCase("origin");

      c.send("GET", "/media/big.bin", "Origin: https://other.example", "Range: bytes=0-9");
      RawHttp.Response refused = c.read(false);
      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.header("Access-Control-Allow-Origin")).isNull();
      assertThat(new String(refused.body())).contains("\"error\":\"forbidden\"");

      c.send("GET", "/media/big.bin", "Origin: http://127.0.0.1", "Range: bytes=0-9");
      assertThat(c.read(false).status()).as("same origin (Host: 127.0.0.1)").isEqualTo(206);
    }
  }

  /** RFC 9110 section 14.1.2: a range addresses the representation's bytes, never a gzip of them. */
  @Test
  void mediaIsNeverContentCodedEvenWithCompressionOn() throws Exception {
    try (RawHttp c = new RawHttp(server.port())) {
      c.send("GET", "/media/big.bin", "Accept-Encoding: gzip, deflate, br", "Range: bytes=100-1099");
      RawHttp.Response r = c.read(false);
      assertThat(r.status()).isEqualTo(206);
      assertThat(r.header("Content-Encoding")).isNull();
      assertThat(r.body()).isEqualTo(Arrays.copyOfRange(content, 100, 1100));
    }
  }

  /**
   * A client that reads a little of a big body and resets the connection: the server counts what
   * it handed to the socket (more than nothing, less than the file) and serves the next request.
   */
  @Test
  void clientAbortingMidBodyIsCountedUpToWhatWasSent() throws Exception {
    OriginStats stats = server.bean(OriginStats.class);
    long before = stats.totalBytes();
    try (RawHttp c = new RawHttp(server.port())) {
      c.socket().setReceiveBufferSize(64 << 10);
      c.send("GET", "/media/big.bin");
      InputStream in = c.socket().getInputStream();
      assertThat(in.readNBytes(1 << 20)).hasSize(1 << 20);
      c.socket().setSoLinger(true, 0); // close with RST, mid-body
    }
    // Counted when the transfer ends, which may be after the client saw its bytes.
    OriginServer.await(Duration.ofSeconds(20), () -> stats.totalBytes() >= before + (1 << 20));
    long counted = stats.totalBytes() - before;
    assertThat(counted).isLessThan(BIG);

    try (RawHttp c = new RawHttp(server.port())) {
      c.send("GET", "/media/big.bin", "Range: bytes=-1000");
      RawHttp.Response tail = c.read(false);
      assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(content, BIG - 1000, BIG));
    }
    OriginServer.await(Duration.ofSeconds(10), () -> stats.totalBytes() >= before + counted + 1000);
  }
}
