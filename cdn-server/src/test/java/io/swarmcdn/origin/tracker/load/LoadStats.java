package io.swarmcdn.origin.tracker.load;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/** Counters shared by all peers of one load run; reset between phases where noted. */
final class LoadStats {

  final LongAdder connected = new LongAdder();
  final LongAdder connectFailures = new LongAdder();
  final LongAdder disconnected = new LongAdder();
  final LongAdder announcesSent = new LongAdder();
  final LongAdder announceReplies = new LongAdder();
  final LongAdder offersSent = new LongAdder();
  final LongAdder offersReceived = new LongAdder();
  final LongAdder answersSent = new LongAdder();
  final LongAdder answersReceived = new LongAdder();
  final LongAdder failures = new LongAdder();
  final LatencyHistogram offerLatency = new LatencyHistogram();
  final LatencyHistogram answerRoundTrip = new LatencyHistogram();
  final AtomicReference<String> firstError = new AtomicReference<>();

  void noteError(String error) {
    firstError.compareAndSet(null, error.length() > 300 ? error.substring(0, 300) : error);
  }

  /** A snapshot of the message counters, to difference over a measured window. */
  Snapshot snapshot() {
    return new Snapshot(System.nanoTime(), announceReplies.sum(), offersSent.sum(), offersReceived.sum(),
        answersReceived.sum(), failures.sum());
  }

  record Snapshot(long nanos, long announceReplies, long offersSent, long offersReceived, long answersReceived,
      long failures) {

    double perSecond(long later, long earlier, Snapshot start) {
      return (later - earlier) / ((nanos - start.nanos) / 1e9);
    }
  }
}
