package dev.shopflow.common.security;

import io.smallrye.config.ConfigMapping;

/**
 * The one user allowed to call mutating endpoints, from SHOPFLOW_API_USER / SHOPFLOW_API_PASSWORD.
 * No production default: a service without credentials does not start.
 */
@ConfigMapping(prefix = "shopflow.api")
public interface ApiCredentials {
    String user();

    String password();
}
