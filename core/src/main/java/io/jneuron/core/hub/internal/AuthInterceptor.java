package io.jneuron.core.hub.internal;

import io.jneuron.core.hub.HubToken;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

import java.io.IOException;

/**
 * Adds {@code Authorization: Bearer <token>} to requests for the configured endpoint's origin and strips
 * it from every other request. It is a network interceptor, so it sees each redirect hop: a redirect to
 * an LFS CDN or any other host never carries the token.
 */
record AuthInterceptor(HttpUrl endpoint, HubToken token) implements Interceptor {
    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        HttpUrl url = request.url();
        boolean sameOrigin = url.scheme().equals(endpoint.scheme()) && url.host().equalsIgnoreCase(endpoint.host())
                && url.port() == endpoint.port();
        Request.Builder b = request.newBuilder().removeHeader("Authorization");
        if (sameOrigin && token != null) {
            b.header("Authorization", "Bearer " + token.reveal());
        }
        return chain.proceed(b.build());
    }
}
