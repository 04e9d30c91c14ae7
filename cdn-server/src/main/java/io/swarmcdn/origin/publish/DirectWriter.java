package io.swarmcdn.origin.publish;

import io.netty.buffer.ByteBuf;
import io.swarmcdn.origin.connection.BulkReads;
import io.swarmcdn.torrent.jvm.hash.StreamingHasher;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBuffer;

/**
 * Writes an upload to a file opened with O_DIRECT: the bytes go from aligned blocks straight to
 * the device, without the page-cache copy a buffered write makes (measured: ~0.3 CPU-s less per
 * GiB than {@link GatheringWriter}), and the fsync behind the 201 finds no dirty pages left.
 * The upload's connection reads the body straight into the blocks where it can ({@link
 * UploadBlocks}, {@link BulkReads}); other chunks (Netty's own buffers, not aligned) are copied
 * once into the current block. A block of whole pieces is then both written (by one I/O thread at a time, {@code io}, at its own file
 * position: writes that extend a file take its inode lock in turn anyway, and measured in
 * parallel they only spun on it, ~0.04 CPU-s per GiB) and hashed in place (by the hasher's pool,
 * no second copy) while the next one fills, so the network, the disk and the hashers overlap. A
 * block goes back to the pool once both are done.
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
  /** The address of a chunk whose memory is not known (or is not one piece). */
  private static final long NO_ADDRESS = -1;

  private final FileChannel channel;
  private final StreamingHasher hasher;
  private final UploadBlocks blocks;
  private final int blockSize;
  private final int alignment;
  private final Executor io;
  /** Adds up the body bytes that were read into the blocks in place (not copied). */
  private final LongAdder readInPlace;
  /** Gives this upload's share of {@link UploadWriters#DIRECT_BUDGET_BYTES} back, once. */
  private Runnable returnReservation;
  private UploadBlocks.Block current;
  /** File position of {@link #current}. */
  private long blockStart;
  private long size;
  private boolean discarded;
  private volatile IOException failure;

  /** {@code pool}'s blocks must hold whole pieces of the {@code hasher}. */
  DirectWriter(FileChannel channel, StreamingHasher hasher, AlignedBlocks pool, Executor io,
      LongAdder readInPlace, Runnable returnReservation) {
    this.channel = channel;
    this.hasher = hasher;
    this.blocks = new UploadBlocks(pool, blocksPerUpload(pool.size()));
    this.blockSize = pool.size();
    this.alignment = pool.alignment();
    this.io = new InOrder(io);
    this.readInPlace = readInPlace;
    this.returnReservation = returnReservation;
  }

  /**
   * Where the upload's connection may read the body's next bytes, in place: into this upload's
   * blocks ({@link UploadBlocks}).
   */
  BulkReads.Destination destination() {
    return blocks;
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
      long address = addressOf(chunk);
      while (it.hasNext()) {
        ByteBuffer data = it.next();
        copy(data, address);
      }
    } finally {
      DataBufferUtils.release(chunk);
    }
  }

  /**
   * Where {@code chunk}'s bytes are, if it is one piece of Netty memory; a read in place ({@link
   * UploadBlocks#readBuffer}) hands its bytes on as such a piece.
   */
  private static long addressOf(DataBuffer chunk) {
    if (chunk instanceof NettyDataBuffer netty) {
      ByteBuf buf = netty.getNativeBuffer();
      if (buf.nioBufferCount() == 1 && buf.hasMemoryAddress()) {
        return buf.memoryAddress() + buf.readerIndex();
      }
    }
    return NO_ADDRESS;
  }

  /**
   * Puts {@code data} (at {@code address}, if known) into the blocks at the next file positions:
   * nothing to copy if a read put it there already.
   */
  private void copy(ByteBuffer data, long address) throws IOException {
    while (data.hasRemaining()) {
      if (current == null) {
        current = blocks.current();
      }
      ByteBuffer block = current.buffer;
      int n = Math.min(data.remaining(), block.remaining());
      if (address != NO_ADDRESS && address == current.address + block.position()) {
        readInPlace.add(n);
      } else if (address != NO_ADDRESS && current.holds(address)) {
        // Cannot happen while BodyProgress counts right; a wrong count must not go unnoticed.
        throw new IOException("a read of the upload landed out of place");
      } else {
        block.put(block.position(), data, data.position(), n);
      }
      block.position(block.position() + n);
      data.position(data.position() + n);
      size += n;
      if (address != NO_ADDRESS) {
        address += n;
      }
      if (!block.hasRemaining()) {
        submit(block.flip(), block.limit());
      }
    }
  }

  @Override
  public synchronized byte[] finish() throws IOException {
    if (current != null) {
      ByteBuffer block = current.buffer;
      int length = block.position();
      int padded = (length + alignment - 1) / alignment * alignment;
      while (block.position() < padded) {
        block.put((byte) 0);
      }
      submit(block.flip().limit(length), padded);
    }
    // The body is in: nothing more to read into the blocks.
    blocks.close();
    // First the hashes: this fails rather than waits if the hashers' pool was stopped.
    byte[] pieces = hasher.finish();
    try {
      if (!blocks.awaitAll()) {
        throw new IOException("the disk did not finish the upload's writes in time");
      }
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
    current = null;
    // Upload.discard() ends every upload, published or not. Blocks still being written when an
    // upload fails are few and go back within one write.
    blocks.close();
    if (returnReservation != null) {
      returnReservation.run();
      returnReservation = null;
    }
  }

  /**
   * Hands {@code block} (the current one; its bytes from 0 to its limit) to the hasher, and its
   * first {@code writeLength} bytes (the limit rounded up to the alignment) to an I/O thread, at
   * its file position; the block goes back to the pool once both are done with it.
   */
  private void submit(ByteBuffer block, int writeLength) throws IOException {
    long position = blockStart;
    blockStart += blockSize;
    current = null;
    blocks.advance();
    AtomicInteger users = new AtomicInteger(2);
    Runnable done = () -> {
      if (users.decrementAndGet() == 0) {
        blocks.done(block);
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
