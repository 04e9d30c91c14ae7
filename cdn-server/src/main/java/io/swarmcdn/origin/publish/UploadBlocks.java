package io.swarmcdn.origin.publish;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.swarmcdn.origin.connection.BulkReads;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The aligned blocks of one upload written with O_DIRECT ({@link DirectWriter}), each for its
 * own range of the file (block {@code i} holds bytes {@code i * size} on): the writer's current
 * block, and those its connection claimed ahead of it to read the body into in place ({@link
 * BulkReads.Destination}: a socket read then puts the bytes where the writer would have copied
 * them). At most {@code permits} blocks exist at once, claimed or being written and hashed.
 *
 * <p>The writer waits for a free block; a read never waits (without one, it gets an ordinary
 * buffer and the writer copies from it). The writer is always behind the reads (it takes the
 * bytes they read), so the writer copies only below the position where the reads put bytes in
 * place: the two never touch the same bytes.
 */
final class UploadBlocks implements BulkReads.Destination {
  /** A block's users that are not done with it may hold the upload this long at most. */
  static final long STALL_SECONDS = 60;
  /** Whether Netty exposes memory addresses, by which the writer recognises a read in place. */
  private static final boolean ADDRESSES =
      Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(1)).hasMemoryAddress();

  private final AlignedBlocks pool;
  private final int size;
  private final int permits;
  /** One permit per block this upload may hold, returned once the block is written and hashed. */
  private final Semaphore free;

  /** Guards the fields below; never held while waiting. */
  private final Object lock = new Object();
  /** The blocks of indexes {@link #first} on, in order: the writer's, then those claimed ahead. */
  private final ArrayDeque<Block> claimed = new ArrayDeque<>();
  private long first;
  private boolean closed;

  /** One block of the file and where its memory is. */
  static final class Block {
    /** The writer's view. */
    final ByteBuffer buffer;
    /** Base address of {@link #buffer}; 0 if unknown. */
    final long address;
    /** The reads' view (its position and limit never change). */
    private final ByteBuffer reads;
    /** Whether a read was given part of it (it may be reading into it right now). */
    private boolean readInto;

    private Block(ByteBuffer buffer) {
      this.buffer = buffer;
      this.reads = buffer.duplicate();
      ByteBuf view = Unpooled.wrappedBuffer(reads);
      this.address = view.hasMemoryAddress() ? view.memoryAddress() : 0;
    }

    /** Whether {@code at} is the address of one of this block's bytes. */
    boolean holds(long at) {
      return address != 0 && at >= address && at < address + buffer.capacity();
    }
  }

  UploadBlocks(AlignedBlocks pool, int permits) {
    this.pool = pool;
    this.size = pool.size();
    this.permits = permits;
    this.free = new Semaphore(permits);
  }

  /** The writer's current block (of index {@link #first}); waits for a free one if needed. */
  Block current() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STALL_SECONDS);
    try {
      while (true) {
        boolean permit = free.tryAcquire(20, TimeUnit.MILLISECONDS);
        synchronized (lock) {
          Block head = claimed.peekFirst();
          if (head != null || closed) {
            if (permit) {
              free.release();
            }
            if (head == null) {
              throw new IOException("the upload was discarded");
            }
            // A read claimed it while this waited.
            return head;
          }
          if (permit) {
            Block block = new Block(pool.take());
            claimed.add(block);
            return block;
          }
        }
        if (System.nanoTime() > deadline) {
          throw new IOException("the disk or the hashers stopped taking the upload's blocks");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the disk");
    }
  }

  /**
   * The writer is done with its current block (full, or the last one): the next index becomes
   * current. The block keeps its permit until {@link #done}.
   */
  void advance() {
    synchronized (lock) {
      claimed.removeFirst();
      first++;
    }
  }

  /** A block given up by {@link #advance} is written and hashed: it goes back to the pool. */
  void done(ByteBuffer block) {
    pool.give(block);
    free.release();
  }

  /** Waits until every block is back (none claimed: after {@link #close}). */
  boolean awaitAll() throws InterruptedException {
    if (!free.tryAcquire(permits, STALL_SECONDS, TimeUnit.SECONDS)) {
      return false;
    }
    free.release(permits);
    return true;
  }

  /**
   * No more reads in place; the claimed blocks go. One that a read was given part of is left
   * to the garbage collector rather than pooled: that read may still be running on the event
   * loop, and the block must not reach another upload meanwhile.
   */
  void close() {
    synchronized (lock) {
      closed = true;
      for (Block block : claimed) {
        if (!block.readInto) {
          pool.give(block.buffer);
        }
        free.release();
      }
      claimed.clear();
    }
  }

  /** Event loop: the part of the block of {@code position} from there on (see the class). */
  @Override
  public ByteBuf readBuffer(long position, int max) {
    if (!ADDRESSES) {
      return null;
    }
    long index = position / size;
    int offset = (int) (position % size);
    synchronized (lock) {
      if (closed || index < first) {
        return null;
      }
      Block block = null;
      long ahead = index - first;
      if (ahead < claimed.size()) {
        Iterator<Block> it = claimed.iterator();
        for (block = it.next(); ahead > 0; ahead--) {
          block = it.next();
        }
      } else if (ahead == claimed.size() && free.tryAcquire()) {
        block = new Block(pool.take());
        claimed.add(block);
      }
      if (block == null) {
        return null;
      }
      block.readInto = true;
      return Unpooled.wrappedBuffer(block.reads.slice(offset, Math.min(max, size - offset)))
          .clear();
    }
  }
}
