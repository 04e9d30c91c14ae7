package io.swarmcdn.origin.connection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.UncheckedBooleanSupplier;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.reactive.function.server.ServerRequest;
import reactor.netty.Connection;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServerRequest;

/**
 * How large one connection's socket reads are: Netty's adaptive default (grown and shrunk by what
 * the reads return, from 64 B up to 64 KiB) while the connection serves ordinary requests, and up
 * to {@link #MAX_BULK_READ} while a large request body streams to disk ({@link #during}: an
 * upload).
 *
 * <p>Why: every read is a pass through the pipeline (HTTP decoder, Reactor's receive queue, the
 * handoff to the upload's writer thread), so a 1 GiB upload in 64 KiB reads costs the event loop
 * 16k of them; reads of up to 512 KiB take what the socket holds in a fraction of those (measured
 * with bench/publish-upload: ~0.1 CPU-s less per GiB on the event loop). Only an upload switches it
 * on: media, API and tracker connections keep small buffers, and a keep-alive connection goes back
 * to them once its upload's body is read. Installed on every connection by {@link
 * HttpPipelineCustomizer}; Netty reads the mode once per read loop.
 */
public final class BulkReads implements MaxMessagesRecvByteBufAllocator {
  /** Largest read of a connection streaming an upload. */
  public static final int MAX_BULK_READ = 512 << 10;
  /** Netty's own default (the one every connection had before). */
  private final AdaptiveRecvByteBufAllocator normal = new AdaptiveRecvByteBufAllocator();
  /** Starts at the largest normal read: an upload's connection has just filled those. */
  private final AdaptiveRecvByteBufAllocator bulk =
      new AdaptiveRecvByteBufAllocator(64 << 10, 64 << 10, MAX_BULK_READ);
  private volatile boolean active;
  /** Where the current upload's body is read into in place, or null. */
  private volatile InPlace inPlace;
  /** The body position of the request being decoded; null on a pipeline without HTTP codec. */
  private final BodyProgress progress;

  private BulkReads(int maxMessagesPerRead, BodyProgress progress) {
    this.progress = progress;
    maxMessagesPerRead(maxMessagesPerRead);
  }

  /** An upload's {@link Destination}, for the body of the request with these headers. */
  private record InPlace(Destination destination, HttpHeaders request, long length) {}

  /**
   * Gives {@code channel} (a new connection, before its first read) its own instance, reading
   * as many times per wake-up as its transport's default allocator did (16 for TCP).
   */
  static void install(Channel channel) {
    ChannelConfig config = channel.config();
    int perWakeUp = config.getRecvByteBufAllocator() instanceof MaxMessagesRecvByteBufAllocator m
        ? m.maxMessagesPerRead() : 16;
    BodyProgress progress = null;
    if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
      progress = new BodyProgress();
      channel.pipeline().addAfter(NettyPipeline.HttpCodec, "swarmcdn.bodyProgress", progress);
    }
    config.setRecvByteBufAllocator(new BulkReads(perWakeUp, progress));
  }

  /**
   * Switches the connection of {@code request} to large reads until {@code stop} of the returned
   * switch runs, and has the body's reads go into {@code destination} (if not null) where the
   * connection and the body allow it (see the class comment). Without one of these connections
   * (another server in tests), a no-op.
   */
  public static Switch during(ServerRequest request, Destination destination) {
    Object nativeRequest =
        ServerHttpRequestDecorator.getNativeRequest(request.exchange().getRequest());
    if (nativeRequest instanceof Connection connection
        && connection.channel().config().getRecvByteBufAllocator() instanceof BulkReads reads) {
      if (destination != null && nativeRequest instanceof HttpServerRequest http
          && reads.progress != null && connection.channel().pipeline().get(SslHandler.class) == null
          && !http.requestHeaders().contains(HttpHeaderNames.TRANSFER_ENCODING)) {
        long length = request.headers().contentLength().orElse(-1);
        if (length > 0) {
          reads.inPlace = new InPlace(destination, http.requestHeaders(), length);
        }
      }
      reads.active(true);
      return () -> {
        reads.inPlace = null;
        reads.active(false);
      };
    }
    return () -> {};
  }

  /** Memory of an upload's own that its body's bytes can be read into, in place. */
  @FunctionalInterface
  public interface Destination {
    /**
     * An empty buffer (writer index 0) of at most {@code max} bytes of the destination's memory,
     * for the body's bytes from {@code position} on, or null: the read then gets an ordinary
     * buffer. Called on the connection's event loop before a read: must not block.
     */
    ByteBuf readBuffer(long position, int max);
  }

  /** Ends the large reads that {@link #during} started. */
  @FunctionalInterface
  public interface Switch {
    void stop();
  }

  /** Whether the connection reads in large buffers (from its next read loop on). */
  boolean active() {
    return active;
  }

  void active(boolean on) {
    active = on;
  }

  @Override
  public int maxMessagesPerRead() {
    return normal.maxMessagesPerRead();
  }

  @Override
  public BulkReads maxMessagesPerRead(int maxMessagesPerRead) {
    normal.maxMessagesPerRead(maxMessagesPerRead);
    bulk.maxMessagesPerRead(maxMessagesPerRead);
    return this;
  }

  @Override
  public Handle newHandle() {
    return new ModeHandle((ExtendedHandle) normal.newHandle(), (ExtendedHandle) bulk.newHandle());
  }

  /**
   * The upload's own memory for the next read (of at most {@code guess} bytes, and never past
   * the body), if it offered some for the body being decoded now.
   */
  private ByteBuf inPlaceBuffer(int guess) {
    InPlace target = inPlace;
    if (target == null || !progress.decoding(target.request())) {
      return null;
    }
    long left = target.length() - progress.position();
    if (left <= 0) {
      return null;
    }
    return target.destination().readBuffer(progress.position(), (int) Math.min(guess, left));
  }

  /** Netty's handle of the mode that was on when the current read loop began. */
  private final class ModeHandle implements ExtendedHandle {
    private final ExtendedHandle normalHandle;
    private final ExtendedHandle bulkHandle;
    private ExtendedHandle current;

    ModeHandle(ExtendedHandle normalHandle, ExtendedHandle bulkHandle) {
      this.normalHandle = normalHandle;
      this.bulkHandle = bulkHandle;
      this.current = normalHandle;
    }

    @Override
    public void reset(ChannelConfig config) {
      current = active ? bulkHandle : normalHandle;
      current.reset(config);
    }

    @Override
    public ByteBuf allocate(ByteBufAllocator alloc) {
      if (current == bulkHandle) {
        ByteBuf inPlace = inPlaceBuffer(current.guess());
        if (inPlace != null) {
          return inPlace;
        }
      }
      return current.allocate(alloc);
    }

    @Override
    public int guess() {
      return current.guess();
    }

    @Override
    public void incMessagesRead(int numMessages) {
      current.incMessagesRead(numMessages);
    }

    @Override
    public void lastBytesRead(int bytes) {
      current.lastBytesRead(bytes);
    }

    @Override
    public int lastBytesRead() {
      return current.lastBytesRead();
    }

    @Override
    public void attemptedBytesRead(int bytes) {
      current.attemptedBytesRead(bytes);
    }

    @Override
    public int attemptedBytesRead() {
      return current.attemptedBytesRead();
    }

    @Override
    public boolean continueReading() {
      return current.continueReading();
    }

    @Override
    public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
      return current.continueReading(maybeMoreDataSupplier);
    }

    @Override
    public void readComplete() {
      current.readComplete();
    }
  }
}
