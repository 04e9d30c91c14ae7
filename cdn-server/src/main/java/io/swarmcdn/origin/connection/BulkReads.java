package io.swarmcdn.origin.connection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.reactive.function.server.ServerRequest;
import reactor.netty.Connection;

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

  private BulkReads(int maxMessagesPerRead) {
    maxMessagesPerRead(maxMessagesPerRead);
  }

  /**
   * Gives {@code channel} (a new connection, before its first read) its own instance, reading
   * as many times per wake-up as its transport's default allocator did (16 for TCP).
   */
  static void install(Channel channel) {
    ChannelConfig config = channel.config();
    int perWakeUp = config.getRecvByteBufAllocator() instanceof MaxMessagesRecvByteBufAllocator m
        ? m.maxMessagesPerRead() : 16;
    config.setRecvByteBufAllocator(new BulkReads(perWakeUp));
  }

  /**
   * Switches the connection of {@code request} to large reads until {@code stop} of the returned
   * switch runs. Without one of these connections (another server in tests), a no-op.
   */
  public static Switch during(ServerRequest request) {
    Object nativeRequest =
        ServerHttpRequestDecorator.getNativeRequest(request.exchange().getRequest());
    if (nativeRequest instanceof Connection connection
        && connection.channel().config().getRecvByteBufAllocator() instanceof BulkReads reads) {
      reads.active(true);
      return () -> reads.active(false);
    }
    return () -> {};
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
