package io.swarmcdn.origin.tracker;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Runs every {@link Sweepable} periodically on one background thread: peers that stopped
 * announcing, unanswered offers and idle sockets go away without any client's help.
 */
final class TrackerSweeper implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(TrackerSweeper.class);

  private final List<Sweepable> sweepables;
  private final java.time.Duration period;
  private volatile Disposable task;

  TrackerSweeper(List<Sweepable> sweepables, java.time.Duration period) {
    this.sweepables = sweepables;
    this.period = period;
  }

  @Override
  public void start() {
    task =
        Flux.interval(period, period, Schedulers.single())
            .subscribe(tick -> sweepAll(), error -> log.error("tracker sweeper stopped", error));
  }

  private void sweepAll() {
    long now = System.nanoTime();
    for (Sweepable sweepable : sweepables) {
      try {
        sweepable.sweep(now);
      } catch (RuntimeException e) {
        // One failing sweep must not stop the others, nor the next tick.
        log.error("tracker sweep failed in {}", sweepable.getClass().getSimpleName(), e);
      }
    }
  }

  @Override
  public void stop() {
    Disposable running = task;
    if (running != null) {
      running.dispose();
    }
    task = null;
  }

  @Override
  public boolean isRunning() {
    return task != null;
  }
}
