package io.swarmcdn.origin.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DateHeaderTest {
  private final AtomicLong clock = new AtomicLong(784111777L * 1000 + 1);
  private final DateHeader date = new DateHeader(clock::get);

  @Test
  void isTheClocksSecondAsImfFixdate() {
    assertThat(date.now().toString()).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
  }

  @Test
  void isFormattedOncePerSecond() {
    Object first = date.now();
    clock.addAndGet(998); // .999 of the same second
    assertThat((Object) date.now()).isSameAs(first);
    clock.addAndGet(1); // the next second
    assertThat(date.now().toString()).isEqualTo("Sun, 06 Nov 1994 08:49:38 GMT");
  }

  @Test
  void followsAClockThatGoesBack() {
    date.now();
    clock.addAndGet(-2000);
    assertThat(date.now().toString()).isEqualTo("Sun, 06 Nov 1994 08:49:35 GMT");
  }
}
