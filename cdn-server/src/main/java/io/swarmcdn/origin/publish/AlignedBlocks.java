package io.swarmcdn.origin.publish;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Recycled direct buffers aligned for O_DIRECT: open(2) requires the buffer's address, the file
 * position and the length of every transfer to be multiples of the file system's block size.
 * Allocating direct memory per upload would leave its release to the garbage collector, so idle
 * blocks are kept (up to {@code maxIdle}) for the next uploads. How many blocks exist at once is
 * bounded by the callers ({@link DirectWriter} holds at most a few per upload).
 */
final class AlignedBlocks {
  private final int size;
  private final int alignment;
  private final BlockingQueue<ByteBuffer> idle;

  AlignedBlocks(int size, int alignment, int maxIdle) {
    if (size % alignment != 0) {
      throw new IllegalArgumentException(size + " is not a multiple of " + alignment);
    }
    this.size = size;
    this.alignment = alignment;
    this.idle = new ArrayBlockingQueue<>(maxIdle);
  }

  int size() {
    return size;
  }

  int alignment() {
    return alignment;
  }

  /** An empty block of {@link #size} bytes (position 0, limit = capacity). */
  ByteBuffer take() {
    ByteBuffer block = idle.poll();
    if (block == null) {
      block = ByteBuffer.allocateDirect(size + alignment).alignedSlice(alignment).slice(0, size);
    }
    return block.clear();
  }

  /** Gives {@code block} back once no transfer uses it any more. */
  void give(ByteBuffer block) {
    idle.offer(block);
  }
}
