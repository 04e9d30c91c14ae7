package io.swarmcdn.origin.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmcdn.origin.OriginServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code GET /api/v1/files}: pages in path order, and a 400 that names a bad parameter. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FilesPagingTest {
  @TempDir static Path dir;
  static OriginServer server;

  @BeforeAll
  static void start() throws Exception {
    server = new OriginServer(dir.resolve("media"), dir.resolve("data"));
    java.nio.file.Files.createDirectories(server.media());
    for (String name : new String[] {"c.bin", "a.bin", "b/z.bin"}) {
      server.putMedia(name, name.getBytes());
    }
    server.start();
    for (String name : new String[] {"c.bin", "a.bin", "b/z.bin"}) {
      server.awaitReady(name);
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void pagesFollowPathOrder() throws Exception {
    JsonNode first = server.json("/api/v1/files?page=0&size=2");
    assertThat(first.get("total").asInt()).isEqualTo(3);
    assertThat(first.get("items").valueStream().map(i -> i.get("path").asString()))
        .containsExactly("a.bin", "b/z.bin");
    assertThat(server.json("/api/v1/files?page=1&size=2").get("items").valueStream()
        .map(i -> i.get("path").asString())).containsExactly("c.bin");
    assertThat(server.json("/api/v1/files?page=7&size=2").get("items").size()).isZero();
  }

  @Test
  void outOfRangeValuesAnswer400() throws Exception {
    for (String query : new String[] {"page=-1", "size=0", "size=1001"}) {
      HttpResponse<String> r = server.get("/api/v1/files?" + query);
      assertThat(r.statusCode()).as(query).isEqualTo(400);
      assertThat(r.body()).as(query).contains("page must be >= 0 and size between 1 and 1000");
    }
  }

  /** Regression: Spring's reason, "Type mismatch.", named neither the parameter nor the type. */
  @Test
  void valuesThatAreNotIntegersAnswer400NamingTheParameter() throws Exception {
    for (String query : new String[] {"page=abc", "page=99999999999999", "size=1.5"}) {
      HttpResponse<String> r = server.get("/api/v1/files?" + query);
      assertThat(r.statusCode()).as(query).isEqualTo(400);
      String name = query.substring(0, query.indexOf('='));
      assertThat(r.body()).as(query)
          .contains("\"message\":\"invalid value for " + name + " (expected an integer in range)\"");
    }
  }
}
