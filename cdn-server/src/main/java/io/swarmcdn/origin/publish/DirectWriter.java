package io.swarmcdn.origin.publish;

import io.swarmcdn.torrent.jvm.hash.StreamingHasher;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * Writes an upload to a file opened with O_DIRECT: the bytes go from aligned blocks straight to
 * the device, without the page-cache copy a buffered write makes (measured: ~0.3 CPU-s less per
 * GiB than {@link GatheringWriter}), and the fsync behind the 201 finds no dirty pages left.
 * Netty's chunks are not aligned, so each is copied once into the current block; that block of
 * whole pieces is then both written (by one I/O thread at a time, {@code io}, at its own file
 * position: writes that extend a file take its inode lock in turn anyway, and measured in
 * parallel they only spun on it, ~0.04 CPU-s per GiB) and hashed in place (by the hasher's pool,
 * no second copy) while the next one fills, so the network, the disk and the hashers overlap. A block goes back to the pool once both are done.
 * At most {@link #IN_FLIGHT_BYTES} (or three blocks of a large piece) exist per upload; when all
 * are busy, {@link #add} waits for one (back-pressure down to the socket, through Reactor's
 * bounded prefetch).
 *
 * <p>The last block is written padded to the alignment, and the file then truncated to the true
 * size (O_DIRECT cannot write a partial block); only the true bytes are hashed.
 */
final class DirectWriter implements UploadWriter {
  /** Bytes of blocks per upload: one filling, the others being written and hashed. */
  static final int IN_FLIGHT_BYTES = 16 << 20;
  /** A block's users that are not done with it may hold the upload this long at most. */
  private static final long STALL_SECONDS = 60;

  private final FileChannel channel;
  private final StreamingHasher hasher;
  private final AlignedBlocks blocks;
  private final Executor io;
  private final int permits;
  /** One permit per block this upload may hold, returned once the block is written and hashed. */
  private final Semaphore free;
  /** Gives this upload's share of {@link UploadWriters#DIRECT_BUDGET_BYTES} back, once. */
  private Runnable returnReservation;
  private ByteBuffer current;
  /** File position of {@link #current}. */
  private long blockStart;
  private long size;
  private boolean discarded;
  private volatile IOException failure;

  /** {@code blocks} must hold whole pieces of the {@code hasher}. */
  DirectWriter(FileChannel channel, StreamingHasher hasher, AlignedBlocks blocks, Executor io,
      Runnable returnReservation) {
    this.channel = channel;
    this.hasher = hasher;
    this.blocks = blocks;
    this.io = new InOrder(io);
    this.permits = blocksPerUpload(blocks.size());
    this.free = new Semaphore(permits);
    this.returnReservation = returnReservation;
  }

  /** The most direct memory one upload with blocks of {@code blockSize} bytes holds. */
  static int reservedBytes(int blockSize) {
    return blocksPerUpload(blockSize) * blockSize;
  }

  private static int blocksPerUpload(int blockSize) {
    return Math.max(3, IN_FLIGHT_BYTES / blockSize);
  }

  @Override
  public FileChannel channel() {
    return channel;
  }

  @Override
  public synchronized void add(DataBuffer chunk) throws IOException {
    try (DataBuffer.ByteBufferIterator it = chunk.readableByteBuffers()) {
      if (discarded) {
        return;
      }
      rethrow();
      while (it.hasNext()) {
        copy(it.next());
      }
    } finally {
      DataBufferUtils.release(chunk);
    }
  }

  private void copy(ByteBuffer data) throws IOException {
    while (data.hasRemaining()) {
      if (current == null) {
        current = take();
      }
      int n = Math.min(data.remaining(), current.remaining());
      current.put(current.position(), data, data.position(), n);
      current.position(current.position() + n);
      data.position(data.position() + n);
      size += n;
      if (!current.hasRemaining()) {
        submit(current.flip(), current.limit());
        blockStart += blocks.size();
        current = null;
      }
    }
  }

  @Override
  public synchronized byte[] finish() throws IOException {
    if (current != null) {
      int length = current.position();
      int alignment = blocks.alignment();
      int padded = (length + alignment - 1) / alignment * alignment;
      while (current.position() < padded) {
        current.put((byte) 0);
      }
      submit(current.flip().limit(length), padded);
      current = null;
    }
    // First the hashes: this fails rather than waits if the hashers' pool was stopped.
    byte[] pieces = hasher.finish();
    try {
      if (!free.tryAcquire(permits, STALL_SECONDS, TimeUnit.SECONDS)) {
        throw new IOException("the disk did not finish the upload's writes in time");
      }
      free.release(permits);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing the upload");
    }
    rethrow();
    if (channel.size() != size) {
      channel.truncate(size);
    }
    return pieces;
  }

  @Override
  public synchronized void discard() {
    discarded = true;
    if (current != null) {
      blocks.give(current);
      free.release();
      current = null;
    }
    // Upload.discard() ends every upload, published or not. Blocks still being written when an
    // upload fails are few and go back within one write.
    if (returnReservation != null) {
      returnReservation.run();
      returnReservation = null;
    }
  }


  private ByteBuffer take() throws IOException {
    try {
      if (!free.tryAcquire(STALL_SECONDS, TimeUnit.SECONDS)) {
        throw new IOException("the disk or the hashers stopped taking the upload's blocks");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the disk");
    }
    return blocks.take();
  }

  /**
   * Hands {@code block} (its bytes from 0 to its limit) to the hasher, and its first {@code
   * writeLength} bytes (the limit rounded up to the alignment) to an I/O thread, at its file
   * position; the block goes back to the pool once both are done with it.
   */
  private void submit(ByteBuffer block, int writeLength) throws IOException {
    long position = blockStart;
    AtomicInteger users = new AtomicInteger(2);
    Runnable done = () -> {
      if (users.decrementAndGet() == 0) {
        blocks.give(block);
        free.release();
      }
    };
    ByteBuffer toWrite = block.duplicate().limit(writeLength);
    try {
      io.execute(() -> {
        try {
          while (toWrite.hasRemaining()) {
            channel.write(toWrite, position + toWrite.position());
          }
        } catch (IOException e) {
          // Also the closed channel of a discarded upload, which nobody waits for.
          failure = e;
        } finally {
          done.run();
        }
      });
    } catch (RejectedExecutionException e) {
      done.run();
      done.run();
      throw new IOException("the server is stopping", e);
    }
    hasher.update(block, done);
  }

  /** Runs tasks one at a time, in submission order, on a shared pool. */
  private static final class InOrder implements Executor {
    private final Executor pool;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    InOrder(Executor pool) {
      this.pool = pool;
    }

    @Override
    public synchronized void execute(Runnable task) {
      tasks.add(task);
      if (!running) {
        try {
          pool.execute(this::runAll);
        } catch (RejectedExecutionException e) {
          tasks.removeLast();
          throw e;
        }
        running = true;
      }
    }

    private void runAll() {
      while (true) {
        Runnable task;
        synchronized (this) {
          task = tasks.poll();
          if (task == null) {
            running = false;
            return;
          }
        }
        task.run();
      }
    }
  }

  private void rethrow() throws IOException {
    IOException e = failure;
    if (e != null) {
      throw new IOException("cannot write the upload: " + e.getMessage(), e);
    }
  }
}
