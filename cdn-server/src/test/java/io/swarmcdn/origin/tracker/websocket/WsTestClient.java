package io.swarmcdn.origin.tracker.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real WebSocket client (JDK java.net.http) speaking to the tracker under test. */
public final class WsTestClient implements AutoCloseable {

  public static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
  private final WebSocket socket;

  private WsTestClient(URI uri, boolean reading) {
    this.socket =
        HTTP.newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .buildAsync(uri, new Listener(reading))
            .orTimeout(10, TimeUnit.SECONDS)
            .join();
  }

  /** Connects and reads everything the server sends. */
  public static WsTestClient connect(URI uri) {
    return new WsTestClient(uri, true);
  }

  /** Connects but never reads: the server's messages pile up (a slow client). */
  public static WsTestClient connectNotReading(URI uri) {
    return new WsTestClient(uri, false);
  }

  public void send(String text) {
    socket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
  }

  public void send(JsonNode message) {
    send(JSON.writeValueAsString(message));
  }

  /** The next message from the server, waiting up to 5 s. */
  public JsonNode next() {
    try {
      String text = inbox.poll(5, TimeUnit.SECONDS);
      assertThat(text).as("a message from the tracker within 5 s").isNotNull();
      return JSON.readTree(text);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Asserts that the server sends nothing for {@code quiet}. */
  public void assertSilent(Duration quiet) {
    try {
      String text = inbox.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(text).as("no message from the tracker").isNull();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The close code the server sent, waiting up to {@code timeout}; null if still open. */
  public Integer awaitClose(Duration timeout) {
    try {
      return closeCode.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      return null;
    } catch (Exception e) {
      return -1; // the connection broke without a close frame
    }
  }

  public boolean isClosed() {
    return closeCode.isDone();
  }

  /** Abortive close: as if the browser tab crashed (no close handshake). */
  public void abort() {
    socket.abort();
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      try {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).join();
      } catch (RuntimeException e) {
        socket.abort();
      }
    }
    socket.abort();
  }

  private final class Listener implements WebSocket.Listener {
    private final boolean reading;
    private final StringBuilder partial = new StringBuilder();

    Listener(boolean reading) {
      this.reading = reading;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      if (reading) {
        webSocket.request(1);
      }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        inbox.add(partial.toString());
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closeCode.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closeCode.completeExceptionally(error);
    }
  }
}
