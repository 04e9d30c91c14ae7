package io.swarmcdn.origin.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmcdn.origin.OriginServer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression: a request target that is not a URI got Spring's bare 400, without a body, on every
 * route Spring serves (the API, torrents, the HTTP tracker).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RequestTargetGuardTest {
  @TempDir static Path dir;
  static OriginServer server;

  @BeforeAll
  static void start() throws Exception {
    server = new OriginServer(dir.resolve("media"), dir.resolve("data")).start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String get(String target, String method) throws Exception {
    return server.raw(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  }

  @Test
  void malformedTargetsGetAJsonErrorThatSaysWhy() throws Exception {
    for (String target : new String[] {"/api/v1/files?x=%zz", "/api/v1/files/%zz",
        "/torrents/%g0.torrent", "/%", "/api/v1/files?q=a\"b", "/api/v1/lookup?url=%"}) {
      String response = get(target, "GET");
      assertThat(response).as(target).startsWith("HTTP/1.1 400 ")
          .contains("application/json")
          .contains("{\"error\":\"bad_request\",\"message\":\"malformed request target: ");
    }
  }

  @Test
  void theHttpTrackerAnswersAFailureReason() throws Exception {
    for (String target : new String[] {"/announce?info_hash=%%%&peer_id=x", "/scrape?info_hash=%zz"}) {
      String response = get(target, "GET");
      assertThat(response).as(target).startsWith("HTTP/1.1 400 ")
          .contains("d14:failure reason").contains("malformed request target: ");
    }
  }

  @Test
  void headGetsTheStatusWithoutABody() throws Exception {
    String response = get("/api/v1/files?x=%zz", "HEAD");
    assertThat(response).startsWith("HTTP/1.1 400 ").endsWith("\r\n\r\n");
  }

  @Test
  void wellFormedTargetsAreLeftToTheirRoutes() throws Exception {
    // Escapes of bytes that are not UTF-8 are still well-formed URI syntax.
    assertThat(get("/api/v1/files?x=%c0", "GET")).startsWith("HTTP/1.1 200 ");
    assertThat(get("/announce", "GET")).startsWith("HTTP/1.1 200 ")
        .contains("failure reason21:info_hash is required");
    assertThat(get("/no/such/route", "GET")).startsWith("HTTP/1.1 404 ");
  }

  @Test
  void plainTargetsAreDecidedWithoutParsingAndAgreeWithJavaNetUri() {
    assertThat(RequestTargetGuard.syntaxError("/api/v1/files?page=1&size=2")).isNull();
    assertThat(RequestTargetGuard.syntaxError("/media/a%20b.mp4?x=%C3%A9")).isNull();
    assertThat(RequestTargetGuard.syntaxError("/media/caf\u00e9.mp4")).isNull(); // URI's "other"
    assertThat(RequestTargetGuard.syntaxError("/a%2")).isNotNull();
    assertThat(RequestTargetGuard.syntaxError("/a b")).isNotNull();
    assertThat(RequestTargetGuard.syntaxError("/a?b=<c>")).isNotNull();
  }
}
