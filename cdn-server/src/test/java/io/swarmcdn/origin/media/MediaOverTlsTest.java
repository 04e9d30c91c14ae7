package io.swarmcdn.origin.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmcdn.origin.OriginServer;
import io.swarmcdn.origin.stats.OriginStats;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Media over TLS ({@code server.ssl.*}): a file region cannot pass through the TLS handler, so the
 * body goes out as encrypted chunks instead, with the same bytes, headers and byte count.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MediaOverTlsTest {
  static final String PASSWORD = "test-secret";

  @TempDir static Path dir;
  static OriginServer server;
  static HttpClient https;
  static byte[] content;

  @BeforeAll
  static void start() throws Exception {
    Path keyStore = dir.resolve("origin.p12");
    Process keytool = new ProcessBuilder("keytool", "-genkeypair", "-keystore", keyStore.toString(),
        "-storetype", "PKCS12", "-storepass", PASSWORD, "-alias", "origin", "-keyalg", "EC",
        "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2")
        .redirectErrorStream(true).start();
    try {
      assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes()))
          .isZero();
    } finally {
      keytool.destroyForcibly();
    }
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      trusted.load(in, PASSWORD.toCharArray());
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(
        TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, trust.getTrustManagers(), null);
    https = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls)
        .connectTimeout(Duration.ofSeconds(5)).build();

    content = new byte[3 << 20];
    new Random(5).nextBytes(content);
    server = new OriginServer(dir.resolve("media"), dir.resolve("data"),
        "--server.ssl.key-store=" + keyStore, "--server.ssl.key-store-type=PKCS12",
        "--server.ssl.key-store-password=" + PASSWORD);
    Files.createDirectories(server.media());
    server.putMedia("tls.bin", content);
    server.start();
    OriginServer.await(Duration.ofSeconds(60), () -> get("bytes=0-0").statusCode() == 206);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<byte[]> get(String range) {
    try {
      return https.send(HttpRequest.newBuilder(
              URI.create("https://127.0.0.1:" + server.port() + "/media/tls.bin"))
          .header("Range", range).timeout(Duration.ofSeconds(30)).GET().build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void rangesOverTlsCarryTheFilesBytesAndAreCounted() throws Exception {
    OriginStats stats = server.bean(OriginStats.class);
    long before = stats.totalBytes();
    HttpResponse<byte[]> r = get("bytes=1000-2099999");
    assertThat(r.statusCode()).isEqualTo(206);
    assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes 1000-2099999/" + (3 << 20));
    assertThat(r.body()).isEqualTo(Arrays.copyOfRange(content, 1000, 2_100_000));
    OriginServer.await(Duration.ofSeconds(10), () -> stats.totalBytes() >= before + 2_099_000);
  }
}
