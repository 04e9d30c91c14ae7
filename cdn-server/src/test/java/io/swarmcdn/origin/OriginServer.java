package io.swarmcdn.origin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real origin application on an ephemeral loopback port, with its own media and data
 * folders, plus a small HTTP toolkit for tests. Restartable on the same folders.
 */
public final class OriginServer implements AutoCloseable {
  public static final JsonMapper JSON = JsonMapper.builder().build();
  public static final String TOKEN = "test-token-0123456789";

  private final Path media;
  private final Path data;
  private final List<String> extraArgs;
  private final List<Class<?>> extraSources = new ArrayList<>();
  private ConfigurableApplicationContext context;
  private int port;
  public final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build();

  public OriginServer(Path media, Path data, String... extraArgs) {
    this.media = media;
    this.data = data;
    this.extraArgs = List.of(extraArgs);
  }

  /** Adds test configuration classes (e.g. a {@code NettyServerCustomizer} that observes). */
  public OriginServer with(Class<?>... configurations) {
    extraSources.addAll(List.of(configurations));
    return this;
  }

  public OriginServer start() {
    List<String> args = new ArrayList<>();
    for (String arg : List.of("--server.port=0", "--server.address=127.0.0.1",
        "--swarmcdn.media-dir=" + media, "--swarmcdn.data-dir=" + data,
        "--swarmcdn.stable-after=300ms", "--swarmcdn.admin-token=" + TOKEN,
        "--spring.main.banner-mode=off")) {
      String key = arg.substring(0, arg.indexOf('=') + 1);
      if (extraArgs.stream().noneMatch(a -> a.startsWith(key))) {
        args.add(arg);
      }
    }
    args.addAll(extraArgs);
    context = new SpringApplicationBuilder(OriginApplication.class)
        .sources(extraSources.toArray(Class<?>[]::new))
        .run(args.toArray(String[]::new));
    port = ((WebServerApplicationContext) context).getWebServer().getPort();
    return this;
  }

  public ConfigurableApplicationContext context() {
    return context;
  }

  public <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  public Path media() {
    return media;
  }

  public Path data() {
    return data;
  }

  public int port() {
    return port;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  public HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30));
  }

  public HttpRequest.Builder authorized(String path) {
    return request(path).header("Authorization", "Bearer " + TOKEN);
  }

  public HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  public JsonNode json(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = get(path);
    if (r.statusCode() != 200) {
      throw new AssertionError(path + " answered " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }

  /** The ready entry of {@code path}, waiting until the library has published it. */
  public JsonNode awaitReady(String path) throws Exception {
    JsonNode[] found = new JsonNode[1];
    await(Duration.ofSeconds(60), () -> {
      try {
        for (JsonNode item : json("/api/v1/files?size=1000").get("items")) {
          if (item.get("path").asString().equals(path) && item.get("status").asString().equals("ready")) {
            found[0] = item;
            return true;
          }
        }
        return false;
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    return found[0];
  }

  /** Sends {@code rawRequest} as-is over a plain socket and returns the whole raw response. */
  public String raw(String rawRequest) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(rawRequest.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  public static void await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout);
      }
      Thread.sleep(50);
    }
  }

  /** Writes a file into the media folder with an old mtime, so it is stable at once. */
  public Path putMedia(String relative, byte[] content) throws IOException {
    Path file = media.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.write(file, content);
    Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(
        System.currentTimeMillis() - 60_000));
    return file;
  }

  public void stop() {
    if (context != null) {
      context.close();
      context = null;
    }
  }

  @Override
  public void close() {
    stop();
  }
}
