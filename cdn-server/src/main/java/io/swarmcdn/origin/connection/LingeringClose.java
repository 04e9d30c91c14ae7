package io.swarmcdn.origin.connection;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Lingering close (RFC 9112 section 9.6): when the server closes a connection whose request body
 * has not fully arrived (an upload refused with 401, 409 or 413 before it was read), it first
 * half-closes, then reads and discards what the client still sends, and closes for good when the
 * client closes, goes quiet, or the linger time is up.
 *
 * <p>Why: closing a socket with unread bytes in its receive queue makes the kernel send a reset,
 * and a reset makes the client's kernel drop the response it has not read yet. The client of a
 * refused upload then sees "connection reset" instead of the 413 and its message. nginx does the
 * same ({@code lingering_close}, {@code lingering_timeout 5s}, {@code lingering_time 30s}).
 *
 * <p>Sits right after the HTTP codec, so it sees whole requests and every close the server
 * initiates; connections closed with no body pending close at once, as before.
 */
final class LingeringClose extends ChannelDuplexHandler {
  /** Ends the linger once the client has sent nothing for this long. */
  static final long QUIET_MILLIS = 2_000;
  /** Ends the linger at the latest this long after it began, however much the client sends. */
  static final long MAX_MILLIS = 30_000;

  private boolean bodyPending;
  private ChannelPromise lingering;
  private long lastReadNanos;
  private Future<?> checker;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (lingering != null) {
      lastReadNanos = System.nanoTime();
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest) {
      bodyPending = true;
    }
    if (msg instanceof LastHttpContent) {
      bodyPending = false;
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    if (!bodyPending || lingering != null || !(ctx.channel() instanceof DuplexChannel channel)
        || !channel.isActive()) {
      ctx.close(promise);
      return;
    }
    lingering = promise;
    lastReadNanos = System.nanoTime();
    // Writes complete in order: once this empty one is written, so is the response before it,
    // and half-closing cannot fail a write still queued.
    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) written -> {
      if (!written.isSuccess()) {
        ctx.close(promise);
        return;
      }
      channel.shutdownOutput();
      // The server stopped reading the body: read again, to discard it.
      channel.config().setAutoRead(true);
      long start = System.nanoTime();
      checker = ctx.executor().scheduleAtFixedRate(() -> {
        long now = System.nanoTime();
        if (now - lastReadNanos > TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS)
            || now - start > TimeUnit.MILLISECONDS.toNanos(MAX_MILLIS)) {
          ctx.close(promise);
        }
      }, QUIET_MILLIS / 4, QUIET_MILLIS / 4, TimeUnit.MILLISECONDS);
    });
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (checker != null) {
      checker.cancel(false);
    }
    if (lingering != null) {
      lingering.trySuccess();
    }
    ctx.fireChannelInactive();
  }
}
