package io.swarmcdn.origin.tracker.websocket;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A bare-bones WebSocket client on a plain socket (RFC 6455 handshake and masked frames), for
 * what a well-behaved client library will not do: never reading, so that the server's messages
 * pile up in the kernel buffers and then in the server; sending text that is not UTF-8; sending
 * frames of a chosen kind and fragmentation.
 */
final class RawWsClient implements AutoCloseable {

  private final Socket socket;
  private final OutputStream out;

  RawWsClient(int port) throws IOException {
    socket = new Socket();
    socket.setReceiveBufferSize(4096); // keep the kernel's share of the backlog small
    socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(10_000);
    out = socket.getOutputStream();
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    String request =
        "GET /announce HTTP/1.1\r\n"
            + "Host: 127.0.0.1:" + port + "\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
            + "Sec-WebSocket-Version: 13\r\n\r\n";
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    readHandshakeResponse(socket.getInputStream());
  }

  private static void readHandshakeResponse(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed during handshake: " + head);
      }
      head.append((char) b);
    }
    if (!head.toString().startsWith("HTTP/1.1 101")) {
      throw new IOException("upgrade refused: " + head);
    }
  }

  /** Sends one masked text frame (clients must mask, RFC 6455 5.3). */
  void sendText(String text) throws IOException {
    sendText(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends {@code payload} as it is (even if not UTF-8) in one masked text frame. */
  void sendText(byte[] payload) throws IOException {
    sendFrame(0x81, payload); // FIN + text
  }

  /**
   * Sends one masked frame: {@code finAndOpcode} is its first byte (FIN 0x80 | opcode: 0 for a
   * continuation, 1 text, 2 binary, 8 close, 9 ping).
   */
  void sendFrame(int finAndOpcode, byte[] payload) throws IOException {
    payload = payload.clone();
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    out.write(finAndOpcode);
    if (payload.length < 126) {
      out.write(0x80 | payload.length);
    } else if (payload.length < 65536) {
      out.write(0x80 | 126);
      out.write(payload.length >>> 8);
      out.write(payload.length);
    } else {
      out.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) ((long) payload.length >>> shift));
      }
    }
    out.write(mask);
    for (int i = 0; i < payload.length; i++) {
      payload[i] ^= mask[i & 3];
    }
    out.write(payload);
    out.flush();
  }

  /** A frame from the server: its opcode and payload. */
  record Frame(int opcode, byte[] payload) {

    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The status code of a close frame (RFC 6455 5.5.1). */
    int closeCode() {
      return (payload[0] & 0xff) << 8 | payload[1] & 0xff;
    }
  }

  /** Reads the next frame (the server never masks; small frames only). */
  Frame readFrame() throws IOException {
    InputStream in = socket.getInputStream();
    int opcode = in.readNBytes(1)[0] & 0x0f;
    int length = in.readNBytes(1)[0] & 0x7f;
    if (length == 126) {
      byte[] extended = in.readNBytes(2);
      length = (extended[0] & 0xff) << 8 | extended[1] & 0xff;
    } else if (length == 127) {
      throw new IOException("unexpectedly large frame");
    }
    return new Frame(opcode, in.readNBytes(length));
  }

  /** Whether the server has dropped the connection (reads until EOF or reset). */
  boolean isDroppedByServer() {
    try {
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[64 * 1024];
      while (in.read(buffer) >= 0) {
        // drain what was queued before the drop
      }
      return true;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // connection reset
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
