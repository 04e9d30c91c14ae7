package io.swarmcdn.origin.media;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * {@code Date} (RFC 9110 section 6.6.1) on the {@code /media/} answers that Spring gives rather
 * than {@link MediaHandler}: CORS preflights ({@code OPTIONS}, a browser sends one before its
 * first web-seed range request) and other methods. First in the chain, so that a preflight the
 * CORS filter refuses has it too.
 */
@Component
class MediaDateFilter implements WebFilter, Ordered {
  private final DateHeader date = new DateHeader();

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    if (exchange.getRequest().getPath().pathWithinApplication().value()
        .startsWith(MediaHandler.PREFIX)) {
      exchange.getResponse().getHeaders().set(HttpHeaders.DATE, date.now().toString());
    }
    return chain.filter(exchange);
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
