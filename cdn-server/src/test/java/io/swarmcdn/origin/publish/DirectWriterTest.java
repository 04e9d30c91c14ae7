package io.swarmcdn.origin.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.nio.file.ExtendedOpenOption;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.swarmcdn.torrent.jvm.hash.ParallelPieceHasher;
import io.swarmcdn.torrent.jvm.hash.Progress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.core.io.buffer.NettyDataBufferFactory;

/**
 * {@link DirectWriter} and its {@link UploadBlocks} without HTTP: chunks that a socket read put
 * in a block in place ({@link UploadBlocks#readBuffer}) mixed with chunks to copy, at block
 * edges; reads that claim blocks ahead of the writer; a read at the wrong position; what a
 * discard does with blocks a read was given. Small blocks (64 KiB) of 16 KiB pieces, on the
 * test folder's file system with O_DIRECT (ext4 on the test machines).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DirectWriterTest {
  static final int BLOCK = 64 << 10;
  static final int PIECE = 16 << 10;
  static final int ALIGNMENT = 4096;
  static final NettyDataBufferFactory NETTY = new NettyDataBufferFactory(ByteBufAllocator.DEFAULT);

  @TempDir Path dir;
  ParallelPieceHasher hashers;
  ExecutorService io;

  @BeforeEach
  void start() {
    hashers = new ParallelPieceHasher(2);
    io = Executors.newFixedThreadPool(2);
  }

  @AfterEach
  void stop() {
    hashers.close();
    io.shutdownNow();
  }

  private DirectWriter writer(Path file, AlignedBlocks pool, LongAdder inPlace,
      AtomicInteger reservations) throws IOException {
    return new DirectWriter(FileChannel.open(file, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT), hashers.stream(PIECE, Progress.NONE),
        pool, io, inPlace, reservations::incrementAndGet);
  }

  /** What a socket read in place does: the bytes go into the buffer the blocks gave. */
  private static DataBuffer readInPlace(UploadBlocks blocks, long position, byte[] content,
      int max) {
    ByteBuf target = blocks.readBuffer(position, max);
    assertThat(target).as("a block for position " + position).isNotNull();
    assertThat(target.writerIndex()).isZero();
    target.writeBytes(content, (int) position, target.writableBytes());
    return NETTY.wrap(target);
  }

  private static DataBuffer copied(byte[] content, int from, int length) {
    ByteBuf pooled = ByteBufAllocator.DEFAULT.directBuffer(length);
    pooled.writeBytes(content, from, length);
    return NETTY.wrap(pooled);
  }

  @Test
  void chunksReadInPlaceAndCopiedChunksMakeTheExactFileAndPieces() throws Exception {
    byte[] content = UploadApiTest.random(5 * BLOCK + 1234, 3);
    Path file = dir.resolve("mixed.part");
    LongAdder inPlace = new LongAdder();
    AtomicInteger reservations = new AtomicInteger();
    DirectWriter writer = writer(file, new AlignedBlocks(BLOCK, ALIGNMENT, 4), inPlace,
        reservations);
    UploadBlocks blocks = (UploadBlocks) writer.destination();

    // Copied: the start of the body (it came with the request's headers), across no edge.
    writer.add(copied(content, 0, 1000));
    int position = 1000;
    long expectedInPlace = 0;
    // Reads in place up to the first block's end (the read stops there: 7000 asked, fewer given).
    while (position < BLOCK) {
      DataBuffer read = readInPlace(blocks, position, content, 7000);
      expectedInPlace += read.readableByteCount();
      position += read.readableByteCount();
      writer.add(read);
    }
    assertThat(position).isEqualTo(BLOCK);
    // Two reads claim the next two blocks ahead of the writer before it takes either.
    DataBuffer ahead1 = readInPlace(blocks, position, content, BLOCK);
    DataBuffer ahead2 = readInPlace(blocks, position + BLOCK, content, BLOCK - 5);
    expectedInPlace += ahead1.readableByteCount() + ahead2.readableByteCount();
    writer.add(ahead1);
    writer.add(ahead2);
    position += ahead1.readableByteCount() + ahead2.readableByteCount();
    // A copied chunk across the edge of blocks 3 and 4, then one from a heap buffer.
    writer.add(copied(content, position, 9000));
    position += 9000;
    writer.add(DefaultDataBufferFactory.sharedInstance.wrap(
        Arrays.copyOfRange(content, position, position + 3000)));
    position += 3000;
    // The rest in place, the last block partial.
    while (position < content.length) {
      DataBuffer read = readInPlace(blocks, position, content,
          Math.min(20_000, content.length - position));
      expectedInPlace += read.readableByteCount();
      position += read.readableByteCount();
      writer.add(read);
    }
    byte[] pieces = writer.finish();
    writer.channel().close();
    writer.discard();

    assertThat(Files.readAllBytes(file)).isEqualTo(content);
    assertThat(pieces).isEqualTo(sha1Pieces(content));
    assertThat(inPlace.sum()).isEqualTo(expectedInPlace);
    assertThat(expectedInPlace).isGreaterThan(4L * BLOCK);
    assertThat(reservations.get()).isEqualTo(1);
  }

  /** Reads never wait: without a free block (all claimed), a read gets none and is copied. */
  @Test
  void readsClaimOnlyFreeBlocksAndNeverBeyondTheNextOne() throws Exception {
    Path file = dir.resolve("claims.part");
    DirectWriter writer = writer(file, new AlignedBlocks(BLOCK, ALIGNMENT, 4), new LongAdder(),
        new AtomicInteger());
    UploadBlocks blocks = (UploadBlocks) writer.destination();
    int perUpload = DirectWriter.reservedBytes(BLOCK) / BLOCK;
    // A gap (a block skipped) cannot be claimed: the writer takes blocks in order.
    assertThat(blocks.readBuffer(BLOCK, 100)).isNull();
    for (int i = 0; i < perUpload; i++) {
      ByteBuf read = blocks.readBuffer((long) i * BLOCK, BLOCK);
      assertThat(read).isNotNull();
      assertThat(read.capacity()).isEqualTo(BLOCK);
    }
    assertThat(blocks.readBuffer((long) perUpload * BLOCK, BLOCK)).isNull();
    writer.discard();
    assertThat(blocks.readBuffer(0, BLOCK)).isNull();
    writer.channel().close();
  }

  /**
   * A read whose bytes sit in the current block but not at the writer's position would mean the
   * body's position was counted wrong: the upload fails rather than publish shifted bytes.
   */
  @Test
  void aReadInPlaceAtTheWrongPositionFailsTheUpload() throws Exception {
    byte[] content = UploadApiTest.random(BLOCK, 4);
    DirectWriter writer = writer(dir.resolve("wrong.part"), new AlignedBlocks(BLOCK, ALIGNMENT, 4),
        new LongAdder(), new AtomicInteger());
    UploadBlocks blocks = (UploadBlocks) writer.destination();
    writer.add(copied(content, 0, 100));
    DataBuffer misplaced = readInPlace(blocks, 200, content, 100);
    assertThatThrownBy(() -> writer.add(misplaced)).isInstanceOf(IOException.class)
        .hasMessageContaining("out of place");
    writer.discard();
    writer.channel().close();
  }

  /**
   * A discard may come while the event loop still reads into a block it was given: such a block
   * must not go back to the pool (another upload would take it), the others do.
   */
  @Test
  void aDiscardPoolsNoBlockThatAReadWasGiven() throws Exception {
    AlignedBlocks pool = new AlignedBlocks(BLOCK, ALIGNMENT, 4);
    byte[] content = UploadApiTest.random(2 * BLOCK, 5);
    DirectWriter writer = writer(dir.resolve("discard.part"), pool, new LongAdder(),
        new AtomicInteger());
    UploadBlocks blocks = (UploadBlocks) writer.destination();
    writer.add(copied(content, 0, 100));
    ByteBuf reading = blocks.readBuffer(BLOCK, BLOCK);
    long readAddress = reading.memoryAddress();
    long writerAddress = blocks.current().address;
    writer.discard();
    writer.channel().close();

    Set<Long> pooled = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      pooled.add(Unpooled.wrappedBuffer(pool.take()).memoryAddress());
    }
    assertThat(pooled).contains(writerAddress).doesNotContain(readAddress);
  }

  private static byte[] sha1Pieces(byte[] content) throws Exception {
    MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
    int pieces = (content.length + PIECE - 1) / PIECE;
    ByteBuffer out = ByteBuffer.allocate(20 * pieces);
    for (int i = 0; i < pieces; i++) {
      sha1.update(content, i * PIECE, Math.min(PIECE, content.length - i * PIECE));
      out.put(sha1.digest());
    }
    return out.array();
  }
}
