package io.swarmcdn.origin.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.swarmcdn.origin.OriginServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.netty.NettyPipeline;

/**
 * {@link BulkReads}: a connection reads in buffers of up to 64 KiB (Netty's default), and in
 * larger ones only while an upload's body streams in; media, API and tracker requests never turn
 * it on, and a keep-alive connection goes back to small reads after its upload. With {@link
 * BodyChunksCustomizer}, the HTTP decoder hands a body on per read (not in 8 KiB slices) and keeps
 * Spring Boot's own decoder settings.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BulkReadsTest {
  private static final int NORMAL_MAX = 64 << 10;

  @TempDir Path dir;

  @Test
  void readsGrowPast64KibOnlyWhileActive() {
    EmbeddedChannel channel = new EmbeddedChannel();
    BulkReads.install(channel);
    BulkReads reads = (BulkReads) channel.config().getRecvByteBufAllocator();
    RecvByteBufAllocator.Handle handle = reads.newHandle();

    assertThat(largestAfterFullReads(handle, channel)).isEqualTo(NORMAL_MAX);
    reads.active(true);
    assertThat(largestAfterFullReads(handle, channel)).isEqualTo(BulkReads.MAX_BULK_READ);
    reads.active(false);
    assertThat(largestAfterFullReads(handle, channel)).isLessThanOrEqualTo(NORMAL_MAX);
    channel.finishAndReleaseAll();
  }

  @Test
  void keepsTheTransportsReadsPerWakeUp() {
    EmbeddedChannel channel = new EmbeddedChannel();
    ((MaxMessagesRecvByteBufAllocator) channel.config().getRecvByteBufAllocator())
        .maxMessagesPerRead(7);
    BulkReads.install(channel);
    BulkReads reads = (BulkReads) channel.config().getRecvByteBufAllocator();
    assertThat(reads.maxMessagesPerRead()).isEqualTo(7);
    RecvByteBufAllocator.Handle handle = reads.newHandle();
    handle.reset(channel.config());
    for (int i = 0; i < 6; i++) {
      handle.incMessagesRead(1);
      handle.attemptedBytesRead(1024);
      handle.lastBytesRead(1024);
    }
    assertThat(handle.continueReading()).isTrue();
    handle.incMessagesRead(1);
    assertThat(handle.continueReading()).isFalse();
    channel.finishAndReleaseAll();
  }

  /**
   * {@link BodyProgress} knows where in the body of the request being decoded the next read
   * starts (reads in place are put at that position), from the first body bytes that came with
   * the headers on, and starts again at the next request.
   */
  @Test
  void bodyProgressCountsTheBodyOfTheRequestBeingDecoded() {
    BodyProgress progress = new BodyProgress();
    EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec(), progress);
    channel.writeInbound(ascii("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n1234"));
    HttpRequest first = channel.readInbound();
    assertThat(progress.decoding(first.headers())).isTrue();
    assertThat(progress.position()).isEqualTo(4);
    channel.writeInbound(ascii("56789"));
    assertThat(progress.position()).isEqualTo(9);
    channel.writeInbound(ascii("0GET /b HTTP/1.1\r\nHost: x\r\n\r\n"));
    assertThat(progress.decoding(first.headers())).isFalse();
    assertThat(progress.position()).isZero();
    channel.finishAndReleaseAll();
  }

  private static ByteBuf ascii(String text) {
    return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
  }

  /** Runs read loops whose reads fill their buffers; the largest buffer the handle then gives. */
  private static int largestAfterFullReads(RecvByteBufAllocator.Handle handle, Channel channel) {
    int largest = 0;
    for (int loop = 0; loop < 20; loop++) {
      handle.reset(channel.config());
      ByteBuf buffer = handle.allocate(UnpooledByteBufAllocator.DEFAULT);
      largest = Math.max(largest, buffer.capacity());
      handle.attemptedBytesRead(buffer.writableBytes());
      handle.lastBytesRead(buffer.writableBytes());
      handle.incMessagesRead(1);
      handle.readComplete();
      buffer.release();
    }
    return largest;
  }

  @Test
  void onlyAnUploadsConnectionReadsInLargeBuffersAndOnlyWhileItsBodyArrives() throws Exception {
    try (OriginServer server = new OriginServer(dir.resolve("media"), dir.resolve("data"))
            .with(ChannelsByClientPort.class).start();
        Socket upload = connect(server);
        Socket reader = connect(server)) {
      Map<Integer, Channel> channels = server.bean(ChannelsByClientPort.class).channels;
      byte[] body = new byte[4 << 20];
      new Random(7).nextBytes(body);

      // A reader: an API read and a media request (404) on a keep-alive connection.
      send(reader, "GET /api/v1/files HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(status(reader)).isEqualTo(200);
      send(reader, "GET /media/none.bin HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(status(reader)).isEqualTo(404);

      send(upload, "POST /api/v1/files?path=bulk.bin HTTP/1.1\r\nHost: x\r\n"
          + "Authorization: Bearer " + OriginServer.TOKEN + "\r\n"
          + "Content-Type: application/octet-stream\r\nContent-Length: " + body.length + "\r\n\r\n");
      upload.getOutputStream().write(body, 0, body.length / 2);
      upload.getOutputStream().flush();
      OriginServer.await(Duration.ofSeconds(10), () -> reads(channels, upload).active());
      assertThat(reads(channels, reader).active()).isFalse();

      upload.getOutputStream().write(body, body.length / 2, body.length - body.length / 2);
      upload.getOutputStream().flush();
      assertThat(status(upload)).isEqualTo(201);
      assertThat(reads(channels, upload).active()).isFalse();
      assertThat(Files.readAllBytes(server.media().resolve("bulk.bin"))).isEqualTo(body);
      // The decoder hands the body on per read, not in Netty's default 8 KiB slices.
      assertThat(server.bean(ChannelsByClientPort.class).largestBodyPiece.get())
          .isGreaterThan(8 << 10);

      // The same connection, kept alive, serves a read with small buffers.
      send(upload, "GET /api/v1/files HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(status(upload)).isEqualTo(200);
      assertThat(reads(channels, upload).active()).isFalse();
    }
  }

  @Test
  void springBootsDecoderSettingsStillApply() throws Exception {
    try (OriginServer server = new OriginServer(dir.resolve("media"), dir.resolve("data"),
            "--server.max-http-request-header-size=2KB").start();
        Socket socket = connect(server)) {
      send(socket, "GET /api/v1/files HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(4096)
          + "\r\n\r\n");
      assertThat(status(socket)).isEqualTo(431);
    }
  }

  private static Socket connect(OriginServer server) throws IOException {
    Socket socket = new Socket("127.0.0.1", server.port());
    socket.setSoTimeout(30_000);
    return socket;
  }

  private static BulkReads reads(Map<Integer, Channel> channels, Socket client) {
    Channel channel = channels.get(client.getLocalPort());
    assertThat(channel).as("server side of the connection").isNotNull();
    return (BulkReads) channel.config().getRecvByteBufAllocator();
  }

  private static void send(Socket socket, String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Reads one response (headers, then a Content-Length body) and returns its status. */
  private static int status(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    String head = headOf(in);
    int length = 0;
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).strip());
      }
    }
    in.readNBytes(length);
    return Integer.parseInt(head.split(" ")[1]);
  }

  private static String headOf(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed");
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  /**
   * Records the server side of every connection, by the client's port, and the largest piece of
   * request body the HTTP decoder handed on.
   */
  @Configuration(proxyBeanMethods = false)
  static class ChannelsByClientPort {
    final Map<Integer, Channel> channels = new ConcurrentHashMap<>();
    final AtomicInteger largestBodyPiece = new AtomicInteger();

    @Bean
    NettyServerCustomizer recordChannels() {
      return server -> server.doOnChannelInit((observer, channel, remote) -> {
        channels.put(((InetSocketAddress) channel.remoteAddress()).getPort(), channel);
        channel.pipeline().addAfter(NettyPipeline.HttpCodec, "test.bodyPieces",
            new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof HttpContent content) {
                  largestBodyPiece.accumulateAndGet(content.content().readableBytes(), Math::max);
                }
                ctx.fireChannelRead(msg);
              }
            });
      });
    }
  }
}
