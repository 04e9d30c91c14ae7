package io.swarmcdn.origin.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmcdn.origin.OriginServer;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 9110 section 6.6.1: every answer of the origin carries the current {@code Date}, whoever
 * produced it: Spring's API, torrents and trackers, the WebSocket upgrade, reactor-netty's own
 * error answers. (Media answers: MediaEndpointTest.)
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ResponseDateTest {
  @TempDir static Path dir;
  static OriginServer server;

  @BeforeAll
  static void start() throws Exception {
    server = new OriginServer(dir.resolve("media"), dir.resolve("data"));
    Files.createDirectories(server.media());
    server.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void everyKindOfAnswerHasTheCurrentDate() throws Exception {
    String big = "X-Big: " + "a".repeat(40_000) + "\r\n";
    for (String[] exchange : List.of(
        new String[] {"GET /api/v1/files HTTP/1.1\r\n", "200"},
        new String[] {"GET /torrents/abc.torrent HTTP/1.1\r\n", "400"},
        new String[] {"GET /nothing/here HTTP/1.1\r\n", "404"},
        new String[] {"DELETE /api/v1/files/" + "0".repeat(40) + " HTTP/1.1\r\n", "401"},
        new String[] {"GET /scrape HTTP/1.1\r\n", "200"},
        new String[] {"GET /announce HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n", "101"},
        new String[] {"GET /api/v1/files HTTP/1.1\r\n" + big, "431"})) {
      long before = System.currentTimeMillis() / 1000;
      String head = responseHead(exchange[0] + "Host: 127.0.0.1\r\nConnection: close\r\n\r\n");
      long after = System.currentTimeMillis() / 1000;
      String what = exchange[0].lines().findFirst().orElseThrow();
      assertThat(head).as(what).startsWith("HTTP/1.1 " + exchange[1]);
      String date = head.lines().filter(line -> line.regionMatches(true, 0, "date:", 0, 5))
          .map(line -> line.substring(5).strip()).findFirst().orElse(null);
      assertThat(date).as("Date of " + what).isNotNull();
      long second = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
      assertThat(second).as(what).isBetween(before, after);
    }
  }

  /** Sends a raw request and reads the response's status line and headers only. */
  private static String responseHead(String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = socket.getInputStream();
      StringBuilder head = new StringBuilder();
      while (head.length() < 65_536 && !head.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        head.append((char) b);
      }
      return head.toString();
    }
  }
}
