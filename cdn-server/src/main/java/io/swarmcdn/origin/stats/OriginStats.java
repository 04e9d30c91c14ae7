package io.swarmcdn.origin.stats;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.swarmcdn.torrent.metainfo.InfoHash;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.stereotype.Component;

/**
 * Origin bytes: every byte of file content the media endpoint sends, per published file (by
 * info-hash), the denominator side of the offload figure. Counted when a response body's transfer
 * ends; for one the client aborts, what was handed to the socket so far (on a plain connection;
 * behind TLS or HTTP/2 an aborted transfer is not counted). Also exported to Micrometer as {@code swarmcdn.origin.bytes} and {@code
 * swarmcdn.origin.requests}, tagged with {@code info_hash} and {@code path}.
 */
@Component
public class OriginStats {
  private final MeterRegistry meters;
  private final Map<InfoHash, Counters> byFile = new ConcurrentHashMap<>();
  private final LongAdder totalBytes = new LongAdder();
  private final LongAdder totalRequests = new LongAdder();

  /** One file's origin traffic since start. */
  public record FileStats(String infoHash, String path, long bytes, long requests) {}

  private static final class Counters {
    final String path;
    final LongAdder bytes = new LongAdder();
    final LongAdder requests = new LongAdder();

    Counters(String path) {
      this.path = path;
    }
  }

  public OriginStats(MeterRegistry meters) {
    this.meters = meters;
  }

  /** Records one media response that sent {@code bytes} content bytes (see the class comment). */
  public void record(InfoHash infoHash, String path, long bytes) {
    Counters c = byFile.computeIfAbsent(infoHash, h -> register(h, path));
    c.bytes.add(bytes);
    c.requests.increment();
    totalBytes.add(bytes);
    totalRequests.increment();
  }

  private Counters register(InfoHash hash, String path) {
    Counters c = new Counters(path);
    FunctionCounter.builder("swarmcdn.origin.bytes", c.bytes, LongAdder::sum)
        .description("Media bytes sent by the origin for one file").baseUnit("bytes")
        .tag("info_hash", hash.hex()).tag("path", path).register(meters);
    FunctionCounter.builder("swarmcdn.origin.requests", c.requests, LongAdder::sum)
        .description("Media responses sent by the origin for one file")
        .tag("info_hash", hash.hex()).tag("path", path).register(meters);
    return c;
  }

  public long totalBytes() {
    return totalBytes.sum();
  }

  public long totalRequests() {
    return totalRequests.sum();
  }

  /** Bytes sent for one file (0 if none). */
  public long bytes(InfoHash infoHash) {
    Counters c = byFile.get(infoHash);
    return c == null ? 0 : c.bytes.sum();
  }

  /** Every file served so far, most bytes first. */
  public List<FileStats> files() {
    List<FileStats> result = new ArrayList<>();
    byFile.forEach((h, c) -> result.add(
        new FileStats(h.hex(), c.path, c.bytes.sum(), c.requests.sum())));
    result.sort(Comparator.comparingLong(FileStats::bytes).reversed());
    return result;
  }
}
