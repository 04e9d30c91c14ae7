package io.swarmcdn.origin.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.Test;

class PreconditionsTest {
  static final String ETAG = "\"abc\"";
  static final long MODIFIED = 1_000_000_000L;

  private static HttpResponseStatus evaluate(String... headers) {
    HttpHeaders h = new DefaultHttpHeaders();
    for (int i = 0; i < headers.length; i += 2) {
      h.add(headers[i], headers[i + 1]);
    }
    return Preconditions.evaluate(h, ETAG, MODIFIED);
  }

  @Test
  void entityTagListsMatchByWeakOrStrongComparison() {
    assertThat(Preconditions.anyMatches("\"x\", W/\"abc\"", ETAG, true)).isTrue();
    assertThat(Preconditions.anyMatches("\"x\", W/\"abc\"", ETAG, false)).isFalse();
    assertThat(Preconditions.anyMatches("\"x\",\"abc\"", ETAG, false)).isTrue();
    assertThat(Preconditions.anyMatches("*", ETAG, false)).isTrue();
    assertThat(Preconditions.anyMatches("\"abcd\"", ETAG, true)).isFalse();
    assertThat(Preconditions.anyMatches("\"x,\"abc\"", ETAG, true))
        .as("a comma inside a tag does not split it").isFalse();
    assertThat(Preconditions.anyMatches("abc", ETAG, true)).isFalse();
  }

  @Test
  void ifMatchAndIfUnmodifiedSinceFailWith412() {
    assertThat(evaluate("If-Match", "\"other\"")).isEqualTo(HttpResponseStatus.PRECONDITION_FAILED);
    assertThat(evaluate("If-Match", "W/\"abc\"")).isEqualTo(HttpResponseStatus.PRECONDITION_FAILED);
    assertThat(evaluate("If-Match", ETAG)).isNull();
    assertThat(evaluate("If-Unmodified-Since", HttpDate.format(MODIFIED - 1)))
        .isEqualTo(HttpResponseStatus.PRECONDITION_FAILED);
    assertThat(evaluate("If-Unmodified-Since", HttpDate.format(MODIFIED))).isNull();
    assertThat(evaluate("If-Match", ETAG, "If-Unmodified-Since", HttpDate.format(0)))
        .as("If-Unmodified-Since is ignored when If-Match is present").isNull();
  }

  @Test
  void ifNoneMatchTakesPrecedenceOverIfModifiedSince() {
    assertThat(evaluate("If-None-Match", "W/\"abc\"")).isEqualTo(HttpResponseStatus.NOT_MODIFIED);
    assertThat(evaluate("If-Modified-Since", HttpDate.format(MODIFIED)))
        .isEqualTo(HttpResponseStatus.NOT_MODIFIED);
    assertThat(evaluate("If-Modified-Since", HttpDate.format(MODIFIED - 1))).isNull();
    assertThat(evaluate("If-None-Match", "\"other\"", "If-Modified-Since",
        HttpDate.format(MODIFIED))).isNull();
    assertThat(evaluate("If-Modified-Since", "yesterday")).as("invalid dates are ignored").isNull();
  }
}
