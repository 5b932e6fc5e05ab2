/**
 * The types of Gatehouse's HTTP API, generated from its OpenAPI 3.1 document (GET /api/openapi.json, decisions 0032
 * and 0041) by scripts/generate-api-types.mjs with openapi-typescript. Do not edit: change the answer views or the
 * operation rows under src/http/openapi/, then run `node scripts/generate-api-types.mjs` (`--check` in npm test).
 */

export interface paths {
    "/api/v1/sso": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List connections of a tenant+product (or one by clientID) */
        get: operations["getApiV1Sso"];
        put?: never;
        /**
         * Create a SAML or OIDC connection
         * @description Jackson answers 200 to a create (new, or updated in place). `redirectUrl` is an array or a JSON-array string.
         */
        post: operations["postApiV1Sso"];
        /** Delete connections (by clientID+clientSecret, or tenant+product) */
        delete: operations["deleteApiV1Sso"];
        options?: never;
        head?: never;
        /** Update a connection */
        patch: operations["patchApiV1Sso"];
        trace?: never;
    };
    "/api/v1/saml/config": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Jackson's legacy read: the newest connection, or `{}` */
        get: operations["getApiV1SamlConfig"];
        put?: never;
        /**
         * Create a SAML or OIDC connection
         * @description Jackson answers 200 to a create (new, or updated in place). `redirectUrl` is an array or a JSON-array string. Also served at this path for SAML Jackson compatibility (same as `/api/v1/sso`).
         */
        post: operations["postApiV1SamlConfig"];
        /**
         * Delete connections (by clientID+clientSecret, or tenant+product)
         * @description Also served at this path for SAML Jackson compatibility (same as `/api/v1/sso`).
         */
        delete: operations["deleteApiV1SamlConfig"];
        options?: never;
        head?: never;
        /**
         * Update a connection
         * @description Also served at this path for SAML Jackson compatibility (same as `/api/v1/sso`).
         */
        patch: operations["patchApiV1SamlConfig"];
        trace?: never;
    };
    "/api/v1/sso/links": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One-click and invite login links of a tenant+product */
        get: operations["getApiV1SsoLinks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sso/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A connection's health at a glance (decision 0022) */
        get: operations["getApiV1SsoHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sso/exists": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Whether a connection matches */
        get: operations["getApiV1SsoExists"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/saml/config/exists": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Whether a connection matches
         * @description Also served at this path for SAML Jackson compatibility (same as `/api/v1/sso/exists`).
         */
        get: operations["getApiV1SamlConfigExists"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sso/product": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Connections of a product, across tenants */
        get: operations["getApiV1SsoProduct"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sso/drafts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A connection's draft version (decision 0020) */
        get: operations["getApiV1SsoDrafts"];
        put?: never;
        /** Save a draft of the IdP side of a connection */
        post: operations["postApiV1SsoDrafts"];
        /** Discard a connection's draft */
        delete: operations["deleteApiV1SsoDrafts"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sso/drafts/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a test sign-in with the draft */
        post: operations["postApiV1SsoDraftsTest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sso/drafts/promote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Promote the draft to the live version */
        post: operations["postApiV1SsoDraftsPromote"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sso/rollback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Roll a connection back to its previous version */
        post: operations["postApiV1SsoRollback"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sso/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A connection's versions */
        get: operations["getApiV1SsoVersions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sso/tests/{testId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A test sign-in's result */
        get: operations["getApiV1SsoTestsTestId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sso/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a test sign-in with the live version (decision 0022) */
        post: operations["postApiV1SsoTest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sso-traces": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One SSO trace */
        get: operations["getApiV1SsoTraces"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sso-traces/product": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** SSO traces of a product */
        get: operations["getApiV1SsoTracesProduct"];
        put?: never;
        post?: never;
        /** Delete a product's SSO traces */
        delete: operations["deleteApiV1SsoTracesProduct"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sso-traces/product/count": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Count a product's SSO traces */
        get: operations["getApiV1SsoTracesProductCount"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sso/setuplinks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a SSO setup link (by id, or tenant+product) */
        get: operations["getApiV1SsoSetuplinks"];
        put?: never;
        /** Create a SSO setup link */
        post: operations["postApiV1SsoSetuplinks"];
        /** Delete a SSO setup link */
        delete: operations["deleteApiV1SsoSetuplinks"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sso/setuplinks/product": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** SSO setup links of a product */
        get: operations["getApiV1SsoSetuplinksProduct"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sso/setuplinks/regenerate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Regenerate a SSO setup link (the old URL stops working at once) */
        post: operations["postApiV1SsoSetuplinksRegenerate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dsync/setuplinks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a Directory Sync setup link (by id, or tenant+product) */
        get: operations["getApiV1DsyncSetuplinks"];
        put?: never;
        /** Create a Directory Sync setup link */
        post: operations["postApiV1DsyncSetuplinks"];
        /** Delete a Directory Sync setup link */
        delete: operations["deleteApiV1DsyncSetuplinks"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dsync/setuplinks/product": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Directory Sync setup links of a product */
        get: operations["getApiV1DsyncSetuplinksProduct"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dsync/setuplinks/regenerate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Regenerate a Directory Sync setup link (the old URL stops working at once) */
        post: operations["postApiV1DsyncSetuplinksRegenerate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/portal/links": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a single-use link to the embeddable portal for one tenant, product and intent (decision 0033) */
        post: operations["postApiV1PortalLinks"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/identity-federation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read an Identity Federation app */
        get: operations["getApiV1IdentityFederation"];
        put?: never;
        /** Create an Identity Federation app (SAML or OIDC; decision 0015) */
        post: operations["postApiV1IdentityFederation"];
        /** Delete an Identity Federation app */
        delete: operations["deleteApiV1IdentityFederation"];
        options?: never;
        head?: never;
        /** Update an Identity Federation app */
        patch: operations["patchApiV1IdentityFederation"];
        trace?: never;
    };
    "/api/v1/identity-federation/product": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Identity Federation apps of a product */
        get: operations["getApiV1IdentityFederationProduct"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/identity-federation/metadata": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The federation IdP's metadata, as XML and its parts */
        get: operations["getApiV1IdentityFederationMetadata"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/products": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List products */
        get: operations["getApiV1Products"];
        put?: never;
        /** Create a product */
        post: operations["postApiV1Products"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/products/{product}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a product */
        get: operations["getApiV1ProductsProduct"];
        put?: never;
        post?: never;
        /** Delete a product */
        delete: operations["deleteApiV1ProductsProduct"];
        options?: never;
        head?: never;
        /** Update a product */
        patch: operations["patchApiV1ProductsProduct"];
        trace?: never;
    };
    "/api/v1/tenants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List tenants */
        get: operations["getApiV1Tenants"];
        put?: never;
        /** Create a tenant */
        post: operations["postApiV1Tenants"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenant}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a tenant */
        get: operations["getApiV1TenantsTenant"];
        put?: never;
        post?: never;
        /** Delete a tenant */
        delete: operations["deleteApiV1TenantsTenant"];
        options?: never;
        head?: never;
        /** Update a tenant */
        patch: operations["patchApiV1TenantsTenant"];
        trace?: never;
    };
    "/api/v1/tenants/{tenant}/domains": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A tenant's email domains */
        get: operations["getApiV1TenantsTenantDomains"];
        put?: never;
        /** Add an email domain (verified by a DNS TXT record) */
        post: operations["postApiV1TenantsTenantDomains"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenant}/domains/{domain}/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Check a domain's TXT record now */
        post: operations["postApiV1TenantsTenantDomainsDomainVerify"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenant}/domains/{domain}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove an email domain */
        delete: operations["deleteApiV1TenantsTenantDomainsDomain"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dsync": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Directories of a tenant+product */
        get: operations["getApiV1Dsync"];
        put?: never;
        /**
         * Create a directory (its SCIM secret is shown once, here)
         * @description The webhook may also be given as `webhook: {endpoint, secret}`.
         */
        post: operations["postApiV1Dsync"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dsync/product": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Directories of a product */
        get: operations["getApiV1DsyncProduct"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dsync/{directoryId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a directory */
        get: operations["getApiV1DsyncDirectoryId"];
        put?: never;
        post?: never;
        /** Delete a directory */
        delete: operations["deleteApiV1DsyncDirectoryId"];
        options?: never;
        head?: never;
        /** Update a directory (name, webhook, deactivation) */
        patch: operations["patchApiV1DsyncDirectoryId"];
        trace?: never;
    };
    "/api/v1/dsync/{directoryId}/scim-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rotate the SCIM secret (shown once) */
        post: operations["postApiV1DsyncDirectoryIdScimSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dsync/{directoryId}/requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The SCIM inspector: recent requests to the directory (decision 0027) */
        get: operations["getApiV1DsyncDirectoryIdRequests"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dsync/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Pull a directory's users */
        get: operations["getApiV1DsyncUsers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dsync/users/{userId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Pull one user */
        get: operations["getApiV1DsyncUsersUserId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dsync/groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Pull a directory's groups */
        get: operations["getApiV1DsyncGroups"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dsync/groups/{groupId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Pull one group */
        get: operations["getApiV1DsyncGroupsGroupId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dsync/groups/{groupId}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Pull a group's members */
        get: operations["getApiV1DsyncGroupsGroupIdMembers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dsync/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A directory's webhook events and their deliveries */
        get: operations["getApiV1DsyncEvents"];
        put?: never;
        post?: never;
        /** Delete a directory's event log */
        delete: operations["deleteApiV1DsyncEvents"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dsync/events/{eventId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One webhook event */
        get: operations["getApiV1DsyncEventsEventId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dsync/events/{eventId}/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Deliver an event again (same event id) */
        post: operations["postApiV1DsyncEventsEventIdReplay"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dsync/events/{eventId}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Retry a pending event now */
        post: operations["postApiV1DsyncEventsEventIdRetry"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dsync/events/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Replay a directory's events (all, or the ids given) */
        post: operations["postApiV1DsyncEventsReplay"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The vendor event stream (connection lifecycle, certificates, login failures) */
        get: operations["getApiV1Events"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Open app sessions of a tenant+product (decision 0025) */
        get: operations["getApiV1Sessions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sessions/end": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End every session of a user (by email or sub) */
        post: operations["postApiV1SessionsEnd"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sessions/{sid}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read an app session */
        get: operations["getApiV1SessionsSid"];
        put?: never;
        post?: never;
        /** End an app session (tokens refused, back-channel logout sent) */
        delete: operations["deleteApiV1SessionsSid"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reconciliation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** SSO sign-ins and directory users side by side (JSON, or CSV with `format=csv`) */
        get: operations["getApiV1Reconciliation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/role-mappings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Group-to-role mappings of a tenant+product */
        get: operations["getApiV1RoleMappings"];
        /** Replace the group-to-role mappings */
        put: operations["putApiV1RoleMappings"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/role-mappings/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Dry run of mappings against the directory */
        post: operations["postApiV1RoleMappingsPreview"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/oauth/authorize": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Start a sign-in (authorization code flow, PKCE S256 and/or client secret)
         * @description `client_id` is a connection's client ID, `tenant=<t>&product=<p>` URL-encoded, or `dummy` with `tenant` and `product`. Errors redirect (RFC 6749 §4.1.2.1) only once the redirect URI is verified; before that they are a 4xx page.
         */
        get: operations["getApiOauthAuthorize"];
        put?: never;
        /** Start a sign-in (form post) */
        post: operations["postApiOauthAuthorize"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/oauth/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Redeem a code or a refresh token
         * @description Form-encoded. Public clients send `client_id` + `code_verifier`. A reused code or a wrong verifier is 400 `invalid_grant`.
         */
        post: operations["postApiOauthToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/oauth/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke a token (RFC 7009) */
        post: operations["postApiOauthRevoke"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/oauth/introspect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Introspect a token (RFC 7662) */
        post: operations["postApiOauthIntrospect"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/oauth/userinfo": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in user's profile */
        get: operations["getApiOauthUserinfo"];
        put?: never;
        /** The signed-in user's profile (POST) */
        post: operations["postApiOauthUserinfo"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/oauth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** RP-initiated logout (OIDC RP-Initiated Logout 1.0) */
        get: operations["getApiOauthLogout"];
        put?: never;
        /** RP-initiated logout (form post) */
        post: operations["postApiOauthLogout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/openid-configuration": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** OIDC discovery */
        get: operations["getWellKnownOpenidConfiguration"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/well-known/openid-configuration": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * OIDC discovery
         * @description Also served at this path for SAML Jackson compatibility (same as `/.well-known/openid-configuration`).
         */
        get: operations["getApiWellKnownOpenidConfiguration"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth/jwks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The id_token signing keys (JWKS) */
        get: operations["getOauthJwks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/oauth/jwks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The id_token signing keys (JWKS)
         * @description Also served at this path for SAML Jackson compatibility (same as `/oauth/jwks`).
         */
        get: operations["getApiOauthJwks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/oauth/saml": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** SAML Assertion Consumer Service (HTTP-POST) */
        post: operations["postApiOauthSaml"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/oauth/saml/slo": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** SAML Single Logout (HTTP-Redirect) */
        get: operations["getApiOauthSamlSlo"];
        put?: never;
        /** SAML Single Logout (HTTP-POST) */
        post: operations["postApiOauthSamlSlo"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * SAML Single Logout (HTTP-Redirect)
         * @description Also served at this path for SAML Jackson compatibility (same as `/api/oauth/saml/slo`).
         */
        get: operations["getApiLogout"];
        put?: never;
        /**
         * SAML Single Logout (HTTP-POST)
         * @description Also served at this path for SAML Jackson compatibility (same as `/api/oauth/saml/slo`).
         */
        post: operations["postApiLogout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/oauth/oidc": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Upstream OIDC callback (Gatehouse as the RP) */
        get: operations["getApiOauthOidc"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/sp-metadata": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** SAML SP metadata */
        get: operations["getWellKnownSpMetadata"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/well-known/sp-metadata": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * SAML SP metadata
         * @description Also served at this path for SAML Jackson compatibility (same as `/.well-known/sp-metadata`).
         */
        get: operations["getApiWellKnownSpMetadata"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/saml.cer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The SP signing certificate */
        get: operations["getWellKnownSamlCer"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/well-known/saml.cer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The SP signing certificate
         * @description Also served at this path for SAML Jackson compatibility (same as `/.well-known/saml.cer`).
         */
        get: operations["getApiWellKnownSamlCer"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/idp-metadata": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Identity Federation IdP metadata */
        get: operations["getWellKnownIdpMetadata"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/well-known/idp-metadata": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Identity Federation IdP metadata
         * @description Also served at this path for SAML Jackson compatibility (same as `/.well-known/idp-metadata`).
         */
        get: operations["getApiWellKnownIdpMetadata"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/login/sso": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One-click login link: SP-initiated SSO for an enterprise key */
        get: operations["getLoginSso"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/login/sso/invite": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Invite link: the one-click link with a landing page */
        get: operations["getLoginSsoInvite"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/scim/v2.0/{directoryId}/Users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List or filter users */
        get: operations["getApiScimV20DirectoryIdUsers"];
        put?: never;
        /** Create a user */
        post: operations["postApiScimV20DirectoryIdUsers"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/scim/v2.0/{directoryId}/Users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a user */
        get: operations["getApiScimV20DirectoryIdUsersId"];
        /** Replace a user */
        put: operations["putApiScimV20DirectoryIdUsersId"];
        post?: never;
        /** Delete a user */
        delete: operations["deleteApiScimV20DirectoryIdUsersId"];
        options?: never;
        head?: never;
        /**
         * Patch a user
         * @description 204 No Content, or 200 with the resource when `attributes`/`excludedAttributes` ask for it or for Entra directories.
         */
        patch: operations["patchApiScimV20DirectoryIdUsersId"];
        trace?: never;
    };
    "/api/scim/v2.0/{directoryId}/Groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List or filter groups */
        get: operations["getApiScimV20DirectoryIdGroups"];
        put?: never;
        /** Create a group */
        post: operations["postApiScimV20DirectoryIdGroups"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/scim/v2.0/{directoryId}/Groups/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a group */
        get: operations["getApiScimV20DirectoryIdGroupsId"];
        /** Replace a group */
        put: operations["putApiScimV20DirectoryIdGroupsId"];
        post?: never;
        /** Delete a group */
        delete: operations["deleteApiScimV20DirectoryIdGroupsId"];
        options?: never;
        head?: never;
        /** Patch a group (members added before they exist are resolved when they appear) */
        patch: operations["patchApiScimV20DirectoryIdGroupsId"];
        trace?: never;
    };
    "/api/scim/v2.0/{directoryId}/ServiceProviderConfig": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Service provider configuration (also at /serviceConfiguration) */
        get: operations["getApiScimV20DirectoryIdServiceProviderConfig"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/scim/v2.0/{directoryId}/Schemas": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Schemas (a ListResponse; `id` = schema URN) */
        get: operations["getApiScimV20DirectoryIdSchemas"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/scim/v2.0/{directoryId}/Schemas/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One schema */
        get: operations["getApiScimV20DirectoryIdSchemasId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/scim/v2.0/{directoryId}/ResourceTypes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Resource types (User first) */
        get: operations["getApiScimV20DirectoryIdResourceTypes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/scim/v2.0/{directoryId}/ResourceTypes/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One resource type */
        get: operations["getApiScimV20DirectoryIdResourceTypesId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/setup/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What the link is for: service, tenant, product, and the SP values to give the IdP */
        get: operations["getApiSetupToken"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/setup/{token}/sso-connection": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant+product's connections (never a client secret) */
        get: operations["getApiSetupTokenSsoConnection"];
        put?: never;
        /** Create a connection for the link's tenant+product */
        post: operations["postApiSetupTokenSsoConnection"];
        /** Delete a connection */
        delete: operations["deleteApiSetupTokenSsoConnection"];
        options?: never;
        head?: never;
        /** Update a connection (`clientID` in the body) */
        patch: operations["patchApiSetupTokenSsoConnection"];
        trace?: never;
    };
    "/api/setup/{token}/sso-connection/{clientID}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One connection */
        get: operations["getApiSetupTokenSsoConnectionClientID"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/setup/{token}/sso-connection/{clientID}/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A connection's health */
        get: operations["getApiSetupTokenSsoConnectionClientIDHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/setup/{token}/sso-connection/{clientID}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a live test sign-in */
        post: operations["postApiSetupTokenSsoConnectionClientIDTest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/setup/{token}/tests/{testId}/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Open a test sign-in: on to the IdP */
        get: operations["getApiSetupTokenTestsTestIdStart"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/setup/{token}/tests/{testId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A test sign-in's result and plain-language diagnosis */
        get: operations["getApiSetupTokenTestsTestId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/setup/{token}/links": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The one-click and invite login links to hand to users */
        get: operations["getApiSetupTokenLinks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/setup/{token}/sso-connection/{clientID}/draft": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The connection's draft */
        get: operations["getApiSetupTokenSsoConnectionClientIDDraft"];
        put?: never;
        /** Save a draft */
        post: operations["postApiSetupTokenSsoConnectionClientIDDraft"];
        /** Discard the draft */
        delete: operations["deleteApiSetupTokenSsoConnectionClientIDDraft"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/setup/{token}/sso-connection/{clientID}/draft/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Test the draft */
        post: operations["postApiSetupTokenSsoConnectionClientIDDraftTest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/setup/{token}/sso-connection/{clientID}/draft/promote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Promote the draft */
        post: operations["postApiSetupTokenSsoConnectionClientIDDraftPromote"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/setup/{token}/sso-connection/{clientID}/rollback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Roll back to the previous version */
        post: operations["postApiSetupTokenSsoConnectionClientIDRollback"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/setup/{token}/sso-connection/{clientID}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The connection's versions */
        get: operations["getApiSetupTokenSsoConnectionClientIDVersions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/setup/{token}/directory-sync": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant+product's directories */
        get: operations["getApiSetupTokenDirectorySync"];
        put?: never;
        /** Create a directory (its SCIM secret is shown once, here) */
        post: operations["postApiSetupTokenDirectorySync"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/setup/{token}/directory-sync/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One directory */
        get: operations["getApiSetupTokenDirectorySyncId"];
        put?: never;
        post?: never;
        /** Delete a directory */
        delete: operations["deleteApiSetupTokenDirectorySyncId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/setup/{token}/directory-sync/{id}/requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The SCIM inspector for the directory */
        get: operations["getApiSetupTokenDirectorySyncIdRequests"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/setup/{token}/directory-sync/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rotate the SCIM secret (shown once) */
        post: operations["postApiSetupTokenDirectorySyncIdRotateSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/setup/{token}/role-mappings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Group-to-role mappings of the link's tenant+product */
        get: operations["getApiSetupTokenRoleMappings"];
        /** Replace the mappings */
        put: operations["putApiSetupTokenRoleMappings"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/setup/{token}/role-mappings/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Dry run of mappings */
        post: operations["postApiSetupTokenRoleMappingsPreview"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness */
        get: operations["getApiHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness (database reachable, not draining) */
        get: operations["getApiReady"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** Problem */
        Problem: {
            type: string;
            title: string;
            status: number;
            detail: string;
            /** @description A stable code from the error catalog (src/errors.ts), e.g. API_VALIDATION. */
            code: string;
            /** @description The input field at fault. */
            field?: string;
            error: {
                message: string;
            };
        };
        /** OAuthError */
        OAuthError: {
            error: string;
            error_description?: string;
        };
        /** ScimError */
        ScimError: {
            schemas: [
                "urn:ietf:params:scim:api:messages:2.0:Error"
            ];
            status: string;
            scimType?: string;
            detail?: string;
        };
        /** Connection */
        Connection: {
            clientID: string;
            /** @description Only in the vendor's management API answers; never `oidcClientSecret`. */
            clientSecret?: string;
            /** @enum {string} */
            type: "saml" | "oidc";
            tenant: string;
            product: string;
            name: string;
            description: string;
            defaultRedirectUrl: string;
            redirectUrl: string[];
            deactivated: boolean;
            sortOrder: number;
            backchannelLogoutUri: string | null;
            allowIdpInitiated: boolean;
            attributeMapping: {
                [key: string]: string | string[];
            };
            label: string | null;
            idpMetadata?: {
                entityID: string;
                sso: {
                    postUrl?: string;
                    redirectUrl?: string;
                };
                certificates: ({
                    notBefore: string;
                    notAfter: string;
                    fingerprintSha256: string;
                } & {
                    [key: string]: unknown;
                })[];
            } & {
                [key: string]: unknown;
            };
            oidcProvider?: {
                provider: string;
                discoveryUrl: string | null;
                clientId: string;
                clientSecretSet: boolean;
            } & {
                [key: string]: unknown;
            };
            createdAt: string;
            updatedAt: string;
        } & {
            [key: string]: unknown;
        };
        /** ConnectionHealth */
        ConnectionHealth: {
            clientID: string;
            lastSuccessAt: string | null;
            last24h: {
                signIns: number;
                failures: number;
                /** @description Failures by refusal code (src/errors.ts), most first. */
                byReason: {
                    [key: string]: number;
                };
            };
            certificates: {
                /** @description SHA-256. */
                fingerprint: string;
                /** Format: date-time */
                notAfter: string;
                daysLeft: number;
            }[];
            metadata: {
                /** @enum {string} */
                source: "url" | "pasted";
                refreshedAt: string | null;
                /** @description Why the last refresh failed (the last good metadata is kept). */
                error: string | null;
                refreshSeconds: number | null;
            };
        };
        /** ConnectionVersion */
        ConnectionVersion: {
            clientID: string;
            version: number;
            /** @enum {string} */
            status: "draft" | "live" | "retired" | "discarded";
            /** @description The version that was live when this one was promoted: what a roll back returns to. */
            replacesVersion: number | null;
            createdBy: string | null;
            createdAt: string | null;
            promotedAt: string | null;
            retiredAt: string | null;
            /** @description The connection as it is with this version (never a secret). */
            connection: components["schemas"]["Connection"];
        };
        /** VersionSwitch */
        VersionSwitch: {
            clientID: string;
            version: number;
            previousVersion: number;
            connection: components["schemas"]["Connection"];
        };
        /** ConnectionTest */
        ConnectionTest: {
            testId: string;
            clientID: string;
            /** @description The draft version tested; null: the live version. */
            version: number | null;
            /** @enum {string} */
            status: "pending" | "succeeded" | "failed";
            /** @description What the app would receive. */
            profile?: {
                id: string;
                email: string;
                firstName: string | null;
                lastName: string | null;
                groups: string[];
                roles: string[];
            };
            /** @description The attributes (claims) the IdP sent, by name as sent. */
            attributes?: {
                [key: string]: string | string[];
            };
            /** @description Why it failed, and what to change in the IdP. */
            diagnosis?: {
                code: string;
                message: string;
                detail: string | null;
                fix: string;
            };
            /** Format: date-time */
            createdAt: string;
            completedAt: string | null;
        };
        /** VendorTestStart */
        VendorTestStart: {
            testId: string;
            clientID: string;
            /** @description The draft version under test; null: the live version. */
            version: number | null;
            /** @description Open it in a browser to sign in at the IdP. */
            url: string;
            /** @description The page that shows the result. */
            resultUrl: string;
        };
        /** SsoTrace */
        SsoTrace: {
            id: string;
            /** Format: date-time */
            at: string;
            /** @enum {string} */
            kind: "saml" | "oidc";
            connectionId: string | null;
            tenant: string | null;
            product: string | null;
            /** @description The refusal code (src/errors.ts). */
            code: string;
            /** @description The reason in plain words. */
            message: string;
            detail: string | null;
            /** @description The decoded SAML response (capped), or an excerpt. */
            samlResponse?: string;
        };
        /** JacksonSsoTrace */
        JacksonSsoTrace: {
            id: string;
            /** Format: date-time */
            at: string;
            /** @enum {string} */
            kind: "saml" | "oidc";
            connectionId: string | null;
            tenant: string | null;
            product: string | null;
            /** @description The refusal code (src/errors.ts). */
            code: string;
            /** @description The reason in plain words. */
            message: string;
            detail: string | null;
            /** @description The decoded SAML response (capped), or an excerpt. */
            samlResponse?: string;
            traceId: string;
            /** @description Unix milliseconds. */
            timestamp: number;
            error: string;
            context: {
                tenant: string | null;
                product: string | null;
                clientID: string | null;
                /** @constant */
                isSAMLFailure?: true;
                /** @constant */
                isOIDCFailure?: true;
            };
        };
        /** SetupLink */
        SetupLink: {
            setupID: string;
            /** @enum {string} */
            service: "sso" | "dsync";
            tenant: string;
            product: string;
            name: string;
            description: string;
            /** @description EXTERNAL_URL/setup/<token>; the token is at least 43 characters. */
            url: string;
            /** @description Expiry, Unix milliseconds. */
            validTill: number;
            expired: boolean;
            /** @enum {string} */
            intent: "setup" | "certificate_renewal";
            /** @description The one connection a certificate-renewal link reaches. */
            clientID: string | null;
            /** @description SSO links. */
            defaultRedirectUrl?: string;
            /** @description SSO links. */
            redirectUrl?: string[];
            /** @description Directory Sync links. */
            webhook_url?: string | null;
            /** @description Directory Sync links: whether a webhook secret is set (never the secret). */
            webhookSecretSet?: boolean;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            progress: components["schemas"]["SetupProgress"];
        };
        /** SetupProgress */
        SetupProgress: {
            /** @enum {string} */
            status: "not_opened" | "opened" | "configured" | "tested" | "live";
            openedAt: string | null;
            /** @description SSO links. */
            connectionCreatedAt?: string | null;
            /** @description Directory Sync links. */
            directoryCreatedAt?: string | null;
            lastTest: {
                /** Format: date-time */
                at: string;
                ok: boolean;
                reason: string | null;
            } | null;
            firstScimRequestAt: string | null;
            completedAt: string | null;
        };
        /** FederationSamlApp */
        FederationSamlApp: {
            id: string;
            name: string;
            tenant: string;
            product: string;
            /** @constant */
            type: "saml";
            acsUrl: string;
            entityId: string;
            logoUrl: string | null;
            faviconUrl: string | null;
            primaryColor: string | null;
            /** @description Tenants whose connections may sign users in; the app's own first. */
            tenants: string[];
            /** @description Renames of upstream attributes: `value` (as the IdP sent it) is sent as `key`. */
            mappings: {
                key: string;
                value: string;
            }[];
            samlAudienceOverride: string | null;
            ttlInMinutes: number | null;
        };
        /** FederationOidcApp */
        FederationOidcApp: {
            id: string;
            name: string;
            tenant: string;
            product: string;
            /** @constant */
            type: "oidc";
            redirectUrl: string[];
            logoUrl: string | null;
            faviconUrl: string | null;
            primaryColor: string | null;
            /** @description Tenants whose connections may sign users in; the app's own first. */
            tenants: string[];
            /** @description Renames of upstream attributes: `value` (as the IdP sent it) is sent as `key`. */
            mappings: {
                key: string;
                value: string;
            }[];
            samlAudienceOverride: string | null;
            ttlInMinutes: number | null;
            clientID: string;
            /** @description Only for callers that may read the vendor's secrets. */
            clientSecret?: string;
        };
        /** Product */
        Product: {
            product: string;
            name: string;
            defaultRedirectUrl: string | null;
            initiateLoginUri: string | null;
            roles: {
                key: string;
                name?: string;
            }[];
            refreshTokens: boolean;
            refreshTokenIdleSeconds: number | null;
            refreshTokenAbsoluteSeconds: number | null;
            postLogoutRedirectUris: string[];
            backchannelLogoutUri: string | null;
            backchannelLogoutSessionRequired: boolean;
            portalReturnUrls: string[];
            portalFrameAncestors: string[];
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        /** ProductRole */
        ProductRole: {
            key: string;
            name: string;
        };
        /** Tenant */
        Tenant: {
            tenant: string;
            enterpriseKey: string;
            name: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        /** Domain */
        Domain: {
            domain: string;
            verified: boolean;
            verifiedAt: string | null;
            txtRecord: {
                name: string;
                /** @constant */
                type: "TXT";
                value: string;
            };
            lastCheckedAt: string | null;
        };
        /** Directory */
        Directory: {
            id: string;
            name: string;
            tenant: string;
            product: string;
            /** @enum {string} */
            type: "generic-scim-v2" | "okta-scim-v2" | "azure-scim-v2" | "onelogin-scim-v2" | "jumpcloud-scim-v2" | "ping-scim-v2" | "keycloak-scim-v2";
            log_webhook_events: boolean;
            deactivated: boolean;
            scim: {
                path: string;
                /** @description Absolute SCIM base URL under EXTERNAL_URL. */
                endpoint: string;
                /** @description The SCIM bearer secret: only when just created or rotated (or on reads under JACKSON_COMPAT). */
                secret?: string;
            };
            webhook: {
                endpoint: string;
                /** @description Only on reads under JACKSON_COMPAT. */
                secret?: string;
            };
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        /** DirectoryUser */
        DirectoryUser: {
            id: string;
            first_name?: string | null;
            last_name?: string | null;
            email?: string | null;
            active: boolean;
            raw: {
                [key: string]: unknown;
            };
            directoryId?: string;
        } & {
            [key: string]: unknown;
        };
        /** DirectoryGroup */
        DirectoryGroup: {
            id: string;
            name: string;
            raw: {
                [key: string]: unknown;
            };
        } & {
            [key: string]: unknown;
        };
        /** AppSession */
        AppSession: {
            sid: string;
            connectionId: string;
            tenant: string;
            product: string;
            clientId: string;
            sub: string;
            nameId: string | null;
            email: string | null;
            createdAt: string;
            expiresAt: string;
            endedAt: string | null;
            endReason: string | null;
            /** @description One session read: the back-channel logout sent when it ended, if any (null when none was sent). */
            backchannelLogout?: ({
                status: string;
                attempts: number;
                lastStatus: number | null;
                lastError: string | null;
                log: unknown[];
            } & {
                [key: string]: unknown;
            }) | null;
        };
        /** WebhookEvent */
        WebhookEvent: {
            id: string;
            event: string;
            directory_id: string;
            /** @enum {string} */
            status: "pending" | "delivered" | "failed";
            delivered: boolean;
            attempts: number;
            webhook_endpoint: string;
            created_at: string;
            delivered_at: string | null;
            next_attempt_at: string | null;
            last_status: number | null;
            last_error: string | null;
            payload: unknown;
        } & {
            [key: string]: unknown;
        };
        /** ScimRequest */
        ScimRequest: {
            id: string;
            /** Format: date-time */
            at: string;
            method: string;
            path: string;
            /** @description Redacted. */
            query: {
                [key: string]: string;
            };
            status: number;
            /** @enum {string} */
            outcome: "accepted" | "refused" | "failed";
            /** @description The whole verdict in plain words: the summary, then each note. */
            verdict: string;
            summary: string;
            notes: {
                kind: string;
                text: string;
            }[];
            /** @description The request body as received, redacted and bounded (null when there was none). */
            request: unknown;
            /** @description The answer sent, redacted and bounded. */
            response: unknown;
        };
        /** ScimRequestPage */
        ScimRequestPage: {
            data: components["schemas"]["ScimRequest"][];
            nextCursor: string | null;
        };
        /** RoleMapping */
        RoleMapping: {
            group: string;
            role: string;
        };
        /** RoleMappings */
        RoleMappings: {
            tenant: string;
            product: string;
            /** @description The roles the product declares. */
            roles: components["schemas"]["ProductRole"][];
            mappings: components["schemas"]["RoleMapping"][];
            /** @description Null until a mapping is saved. */
            updatedAt: string | null;
            /** @description Groups the IdP is known to send: in recent sign-ins and in the directories. */
            groups: {
                name: string;
                sources: ("directory" | "sso")[];
                externalId?: string;
            }[];
        };
        /** RolePreview */
        RolePreview: {
            tenant: string;
            product: string;
            mappings: components["schemas"]["RoleMapping"][];
            /** @description People per role key with the proposed mapping. */
            counts: {
                [key: string]: number;
            };
            changed: number;
            total: number;
            /** @description More than the 1,000 rows listed. */
            truncated: boolean;
            users: components["schemas"]["RolePreviewRow"][];
        };
        /** RolePreviewRow */
        RolePreviewRow: {
            /** @enum {string} */
            source: "directory" | "sign-in";
            user: string;
            email: string | null;
            groups: string[];
            /** @description With the proposed mapping. */
            roles: string[];
            /** @description With the saved mapping. */
            currentRoles: string[];
            directoryId?: string;
            userId?: string;
            active?: boolean;
            /** Format: date-time */
            lastSignInAt?: string;
        };
        /** Reconciliation */
        Reconciliation: {
            tenant: string;
            product: string;
            /**
             * Format: date-time
             * @description Sign-ins are read from here on (SESSION_TTL_SECONDS).
             */
            signInsSince: string;
            /** @description The directory ids read. */
            directories: string[];
            counts: {
                neverSignedIn: number;
                noDirectoryRecord: number;
                signedInAfterDeactivation: number;
                mismatched: number;
            };
            truncated: boolean;
            /** @description At most 1,000 rows (the CSV has them all). */
            neverSignedIn: components["schemas"]["ReconciliationRow"][];
            /** @description At most 1,000 rows (the CSV has them all). */
            noDirectoryRecord: components["schemas"]["ReconciliationRow"][];
            /** @description At most 1,000 rows (the CSV has them all). */
            signedInAfterDeactivation: components["schemas"]["ReconciliationRow"][];
            /** @description At most 1,000 rows (the CSV has them all). */
            mismatched: components["schemas"]["ReconciliationRow"][];
        };
        /** ReconciliationRow */
        ReconciliationRow: {
            user: string;
            email: string | null;
            directoryId: string | null;
            userId: string | null;
            nameid: string | null;
            lastSignInAt: string | null;
            detail: string;
            fix: string;
        };
        /** TokenResponse */
        TokenResponse: {
            access_token: string;
            /** @constant */
            token_type: "bearer";
            expires_in: number;
            /** @description RS256; its `kid` is in the JWKS. */
            id_token?: string;
            /** @description With scope `offline_access`, when the product allows refresh tokens. */
            refresh_token?: string;
            scope?: string;
        };
        /** Userinfo */
        Userinfo: {
            sub: string;
            /** @description The NameID (or upstream OIDC subject). */
            id: string;
            nameid?: string;
            email?: string;
            email_verified?: boolean;
            firstName?: string;
            lastName?: string;
            groups?: string[];
            roles?: string[];
            tenant: string;
            product: string;
            requested?: {
                [key: string]: unknown;
            };
            raw?: {
                [key: string]: unknown;
            };
        } & {
            [key: string]: unknown;
        };
        /** Introspection */
        Introspection: {
            active: boolean;
            client_id?: string;
            token_type?: string;
            exp?: number;
            iat?: number;
            sub?: string;
            scope?: string;
        } & {
            [key: string]: unknown;
        };
        /** ScimUser */
        ScimUser: {
            schemas: string[];
            id: string;
            externalId?: string;
            userName: string;
            name?: {
                givenName?: string;
                familyName?: string;
                formatted?: string;
            } & {
                [key: string]: unknown;
            };
            emails?: ({
                value: string;
                primary?: boolean;
                type?: string;
            } & {
                [key: string]: unknown;
            })[];
            active: boolean;
            groups?: ({
                value: string;
                display?: string;
            } & {
                [key: string]: unknown;
            })[];
            meta: {
                resourceType: string;
                created: string;
                lastModified: string;
                location: string;
                version?: string;
            } & {
                [key: string]: unknown;
            };
        } & {
            [key: string]: unknown;
        };
        /** ScimGroup */
        ScimGroup: {
            schemas: string[];
            id: string;
            externalId?: string;
            displayName: string;
            members?: ({
                value: string;
                display?: string;
            } & {
                [key: string]: unknown;
            })[];
            meta: {
                resourceType: string;
                created: string;
                lastModified: string;
                location: string;
                version?: string;
            } & {
                [key: string]: unknown;
            };
        } & {
            [key: string]: unknown;
        };
        /** ScimServiceProviderConfig */
        ScimServiceProviderConfig: {
            schemas: string[];
            documentationUri: string;
            patch: {
                supported: boolean;
            };
            bulk: {
                supported: boolean;
                maxOperations: number;
                maxPayloadSize: number;
            };
            filter: {
                supported: boolean;
                maxResults: number;
            };
            changePassword: {
                supported: boolean;
            };
            sort: {
                supported: boolean;
            };
            etag: {
                supported: boolean;
            };
            authenticationSchemes: {
                type: string;
                name: string;
                description: string;
                primary: boolean;
            }[];
            meta: {
                resourceType: string;
                location: string;
            };
        };
        /** ScimSchema */
        ScimSchema: {
            schemas: string[];
            /** @description The schema URN. */
            id: string;
            name: string;
            description: string;
            attributes: {
                name: string;
                type: string;
                multiValued: boolean;
                description: string;
                required: boolean;
                caseExact: boolean;
                mutability: string;
                returned: string;
                uniqueness: string;
                subAttributes?: {
                    name: string;
                    type: string;
                    multiValued: boolean;
                    description: string;
                    required: boolean;
                    caseExact: boolean;
                    mutability: string;
                    returned: string;
                    uniqueness: string;
                }[];
            }[];
            meta: {
                resourceType: string;
                location: string;
            };
        };
        /** ScimResourceType */
        ScimResourceType: {
            schemas: string[];
            id: string;
            name: string;
            endpoint: string;
            description: string;
            schema: string;
            schemaExtensions: {
                schema: string;
                required: boolean;
            }[];
            meta: {
                resourceType: string;
                location: string;
            };
        };
        /** LinkDirectory */
        LinkDirectory: {
            id: string;
            name: string;
            tenant: string;
            product: string;
            /** @enum {string} */
            type: "generic-scim-v2" | "okta-scim-v2" | "azure-scim-v2" | "onelogin-scim-v2" | "jumpcloud-scim-v2" | "ping-scim-v2" | "keycloak-scim-v2";
            deactivated: boolean;
            scim: {
                path: string;
                /** @description Absolute SCIM base URL under EXTERNAL_URL. */
                endpoint: string;
                /** @description The SCIM bearer secret: only when just created or rotated (or on reads under JACKSON_COMPAT). */
                secret?: string;
            };
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            /** @description On reads; not on create or rotate. */
            status?: components["schemas"]["DirectoryActivity"];
        };
        /** DirectoryActivity */
        DirectoryActivity: {
            users: number;
            groups: number;
            lastActivityAt: string | null;
            provisioningStarted: boolean;
            /** @description The vendor's app is not receiving this directory's changes (whom to ask, not why). */
            deliveryFailing: boolean;
        };
        /** SetupLinkInfo */
        SetupLinkInfo: {
            /** @enum {string} */
            service: "sso" | "dsync";
            tenant: string;
            product: string;
            productName: string;
            name: string;
            description: string;
            validTill: number;
            sp?: {
                entityId: string;
                acsUrl: string;
                sloUrl: string;
                metadataUrl: string;
                metadataDownloadUrl: string;
                certificateUrl: string;
                oidcRedirectUri: string;
            };
            redirectUrl?: string[];
            tested?: boolean;
            /** @enum {string} */
            intent?: "setup" | "certificate_renewal";
            clientID?: string | null;
        };
    };
    responses: {
        /** @description The request is not valid. */
        Problem400: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Not authenticated. */
        Problem401: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Not allowed. */
        Problem403: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Not found. */
        Problem404: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Conflicts with what exists. */
        Problem409: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Too many requests. */
        Problem429: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The request is not valid. */
        OAuthError400: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["OAuthError"];
            };
        };
        /** @description Not authenticated. */
        OAuthError401: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["OAuthError"];
            };
        };
        /** @description Too many requests. */
        OAuthError429: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["OAuthError"];
            };
        };
        /** @description The request is not valid. */
        ScimError400: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/scim+json": components["schemas"]["ScimError"];
            };
        };
        /** @description Not authenticated. */
        ScimError401: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/scim+json": components["schemas"]["ScimError"];
            };
        };
        /** @description Not found. */
        ScimError404: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/scim+json": components["schemas"]["ScimError"];
            };
        };
        /** @description Conflicts with what exists. */
        ScimError409: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/scim+json": components["schemas"]["ScimError"];
            };
        };
        /** @description The body is too large. */
        ScimError413: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/scim+json": components["schemas"]["ScimError"];
            };
        };
        /** @description Too many requests. */
        ScimError429: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/scim+json": components["schemas"]["ScimError"];
            };
        };
        /** @description Gone (the link expired or was revoked). */
        Problem410: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getApiV1Sso: {
        parameters: {
            query?: {
                tenant?: string;
                product?: string;
                clientID?: string;
                sort?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The connections; OIDC ones never echo `oidcClientSecret`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Connection"][];
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    postApiV1Sso: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    tenant: string;
                    product: string;
                    defaultRedirectUrl: string;
                    redirectUrl: string[] | string;
                    rawMetadata?: string;
                    encodedRawMetadata?: string;
                    metadataUrl?: string;
                    name?: string;
                    description?: string;
                    forceAuthn?: boolean | ("0" | "1" | "true" | "false" | "");
                    allowSha1?: boolean | ("0" | "1" | "true" | "false" | "");
                    allowIdpInitiated?: boolean | ("0" | "1" | "true" | "false" | "");
                    wantAuthnRequestsSigned?: boolean | ("0" | "1" | "true" | "false" | "");
                    attributeMapping?: {
                        [key: string]: string | string[];
                    } | string;
                    sortOrder?: number;
                    label?: string;
                    identifierFormat?: string;
                    acsUrlOverride?: string;
                    samlAudienceOverride?: string;
                    deactivated?: boolean | ("0" | "1" | "true" | "false" | "");
                    backchannelLogoutUri?: string | null;
                    oidcDiscoveryUrl?: string;
                    oidcMetadata?: unknown;
                    oidcClientId?: string;
                    oidcClientSecret?: string;
                    oidcScopes?: string;
                };
            };
        };
        responses: {
            /** @description The connection, with `clientSecret`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Connection"];
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    deleteApiV1Sso: {
        parameters: {
            query?: {
                clientID?: string;
                clientSecret?: string;
                tenant?: string;
                product?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    patchApiV1Sso: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    clientID: string;
                    clientSecret?: string;
                    tenant?: string;
                    product?: string;
                    defaultRedirectUrl?: string;
                    redirectUrl?: string[] | string;
                    rawMetadata?: string;
                    encodedRawMetadata?: string;
                    metadataUrl?: string;
                    addIdpCertificate?: string;
                    removeIdpCertificate?: string;
                    name?: string;
                    description?: string;
                    forceAuthn?: boolean | ("0" | "1" | "true" | "false" | "");
                    allowSha1?: boolean | ("0" | "1" | "true" | "false" | "");
                    allowIdpInitiated?: boolean | ("0" | "1" | "true" | "false" | "");
                    wantAuthnRequestsSigned?: boolean | ("0" | "1" | "true" | "false" | "");
                    attributeMapping?: {
                        [key: string]: string | string[];
                    } | string;
                    sortOrder?: number;
                    label?: string;
                    identifierFormat?: string;
                    acsUrlOverride?: string;
                    samlAudienceOverride?: string;
                    deactivated?: boolean | ("0" | "1" | "true" | "false" | "");
                    backchannelLogoutUri?: string | null;
                    oidcDiscoveryUrl?: string;
                    oidcMetadata?: unknown;
                    oidcClientId?: string;
                    oidcClientSecret?: string;
                    oidcScopes?: string;
                };
            };
        };
        responses: {
            /** @description Updated. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1SamlConfig: {
        parameters: {
            query?: {
                tenant?: string;
                product?: string;
                clientID?: string;
                sort?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One connection, or `{}` when there is none. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Connection"] | Record<string, never>;
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    postApiV1SamlConfig: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    tenant: string;
                    product: string;
                    defaultRedirectUrl: string;
                    redirectUrl: string[] | string;
                    rawMetadata?: string;
                    encodedRawMetadata?: string;
                    metadataUrl?: string;
                    name?: string;
                    description?: string;
                    forceAuthn?: boolean | ("0" | "1" | "true" | "false" | "");
                    allowSha1?: boolean | ("0" | "1" | "true" | "false" | "");
                    allowIdpInitiated?: boolean | ("0" | "1" | "true" | "false" | "");
                    wantAuthnRequestsSigned?: boolean | ("0" | "1" | "true" | "false" | "");
                    attributeMapping?: {
                        [key: string]: string | string[];
                    } | string;
                    sortOrder?: number;
                    label?: string;
                    identifierFormat?: string;
                    acsUrlOverride?: string;
                    samlAudienceOverride?: string;
                    deactivated?: boolean | ("0" | "1" | "true" | "false" | "");
                    backchannelLogoutUri?: string | null;
                    oidcDiscoveryUrl?: string;
                    oidcMetadata?: unknown;
                    oidcClientId?: string;
                    oidcClientSecret?: string;
                    oidcScopes?: string;
                };
            };
        };
        responses: {
            /** @description The connection, with `clientSecret`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Connection"];
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    deleteApiV1SamlConfig: {
        parameters: {
            query?: {
                clientID?: string;
                clientSecret?: string;
                tenant?: string;
                product?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    patchApiV1SamlConfig: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    clientID: string;
                    clientSecret?: string;
                    tenant?: string;
                    product?: string;
                    defaultRedirectUrl?: string;
                    redirectUrl?: string[] | string;
                    rawMetadata?: string;
                    encodedRawMetadata?: string;
                    metadataUrl?: string;
                    addIdpCertificate?: string;
                    removeIdpCertificate?: string;
                    name?: string;
                    description?: string;
                    forceAuthn?: boolean | ("0" | "1" | "true" | "false" | "");
                    allowSha1?: boolean | ("0" | "1" | "true" | "false" | "");
                    allowIdpInitiated?: boolean | ("0" | "1" | "true" | "false" | "");
                    wantAuthnRequestsSigned?: boolean | ("0" | "1" | "true" | "false" | "");
                    attributeMapping?: {
                        [key: string]: string | string[];
                    } | string;
                    sortOrder?: number;
                    label?: string;
                    identifierFormat?: string;
                    acsUrlOverride?: string;
                    samlAudienceOverride?: string;
                    deactivated?: boolean | ("0" | "1" | "true" | "false" | "");
                    backchannelLogoutUri?: string | null;
                    oidcDiscoveryUrl?: string;
                    oidcMetadata?: unknown;
                    oidcClientId?: string;
                    oidcClientSecret?: string;
                    oidcScopes?: string;
                };
            };
        };
        responses: {
            /** @description Updated. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1SsoLinks: {
        parameters: {
            query: {
                tenant: string;
                product?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The links. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            oneClickUrl: string;
                            inviteUrl: string;
                        };
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1SsoHealth: {
        parameters: {
            query: {
                clientID: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Health. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["ConnectionHealth"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1SsoExists: {
        parameters: {
            query?: {
                tenant?: string;
                product?: string;
                clientID?: string;
                sort?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description At least one connection matches. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            /** @description None matches (`{}`). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1SamlConfigExists: {
        parameters: {
            query?: {
                tenant?: string;
                product?: string;
                clientID?: string;
                sort?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description At least one connection matches. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            /** @description None matches (`{}`). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1SsoProduct: {
        parameters: {
            query: {
                product: string;
                pageOffset?: string;
                pageLimit?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The connections. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Connection"][];
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1SsoDrafts: {
        parameters: {
            query: {
                clientID: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The draft (404 when there is none). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["ConnectionVersion"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    postApiV1SsoDrafts: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    clientID: string;
                    clientSecret?: string;
                    rawMetadata?: string;
                    encodedRawMetadata?: string;
                    metadataUrl?: string;
                    forceAuthn?: boolean | ("0" | "1" | "true" | "false" | "");
                    allowSha1?: boolean | ("0" | "1" | "true" | "false" | "");
                    allowIdpInitiated?: boolean | ("0" | "1" | "true" | "false" | "");
                    wantAuthnRequestsSigned?: boolean | ("0" | "1" | "true" | "false" | "");
                    attributeMapping?: {
                        [key: string]: string | string[];
                    } | string;
                    label?: string;
                    identifierFormat?: string;
                    acsUrlOverride?: string;
                    samlAudienceOverride?: string;
                    oidcDiscoveryUrl?: string;
                    oidcMetadata?: unknown;
                    oidcClientId?: string;
                    oidcClientSecret?: string;
                    oidcScopes?: string;
                };
            };
        };
        responses: {
            /** @description The draft, updated. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["ConnectionVersion"];
                    };
                };
            };
            /** @description The draft, created. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["ConnectionVersion"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    deleteApiV1SsoDrafts: {
        parameters: {
            query: {
                clientID: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Discarded. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    postApiV1SsoDraftsTest: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    clientID: string;
                };
            };
        };
        responses: {
            /** @description The test, with the URL to open. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["VendorTestStart"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    postApiV1SsoDraftsPromote: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    clientID: string;
                };
            };
        };
        responses: {
            /** @description The promoted version. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["VersionSwitch"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    postApiV1SsoRollback: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    clientID: string;
                };
            };
        };
        responses: {
            /** @description The version now live. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["VersionSwitch"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1SsoVersions: {
        parameters: {
            query: {
                clientID: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The versions, newest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["ConnectionVersion"][];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1SsoTestsTestId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                testId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The result, with a plain-language diagnosis. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["ConnectionTest"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    postApiV1SsoTest: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    clientID: string;
                };
            };
        };
        responses: {
            /** @description The test, with the URL to open. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["VendorTestStart"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1SsoTraces: {
        parameters: {
            query: {
                id: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The trace. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["JacksonSsoTrace"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1SsoTracesProduct: {
        parameters: {
            query: {
                product: string;
                pageOffset?: string;
                pageLimit?: string;
                pageToken?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of traces (`pageToken` continues it). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["JacksonSsoTrace"][];
                        pageToken?: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    deleteApiV1SsoTracesProduct: {
        parameters: {
            query: {
                product: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1SsoTracesProductCount: {
        parameters: {
            query: {
                product: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The count. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        count: number;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1SsoSetuplinks: {
        parameters: {
            query?: {
                id?: string;
                tenant?: string;
                product?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The link. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["SetupLink"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    postApiV1SsoSetuplinks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    tenant: string;
                    product: string;
                    name?: string;
                    description?: string;
                    expiryDays?: number;
                    regenerate?: boolean | ("0" | "1" | "true" | "false" | "");
                    defaultRedirectUrl?: string;
                    redirectUrl?: string[] | string;
                    /** @enum {string} */
                    intent?: "setup" | "certificate_renewal";
                    clientID?: string;
                };
            };
        };
        responses: {
            /** @description The existing live link (unless `regenerate`). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["SetupLink"];
                    };
                };
            };
            /** @description The link, created. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["SetupLink"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    deleteApiV1SsoSetuplinks: {
        parameters: {
            query?: {
                id?: string;
                tenant?: string;
                product?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description `{data: {}}`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: Record<string, never>;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1SsoSetuplinksProduct: {
        parameters: {
            query: {
                product: string;
                tenant?: string;
                status?: string;
                pageOffset?: string;
                pageLimit?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of links. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["SetupLink"][];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    postApiV1SsoSetuplinksRegenerate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    id: string;
                };
            };
        };
        responses: {
            /** @description The link with its new URL. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["SetupLink"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1DsyncSetuplinks: {
        parameters: {
            query?: {
                id?: string;
                tenant?: string;
                product?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The link. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["SetupLink"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    postApiV1DsyncSetuplinks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    tenant: string;
                    product: string;
                    name?: string;
                    description?: string;
                    expiryDays?: number;
                    regenerate?: boolean | ("0" | "1" | "true" | "false" | "");
                    /** @enum {string} */
                    intent?: "setup";
                    webhook_url?: string;
                    webhook_secret?: string;
                    webhookUrl?: string;
                    webhookSecret?: string;
                };
            };
        };
        responses: {
            /** @description The existing live link (unless `regenerate`). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["SetupLink"];
                    };
                };
            };
            /** @description The link, created. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["SetupLink"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    deleteApiV1DsyncSetuplinks: {
        parameters: {
            query?: {
                id?: string;
                tenant?: string;
                product?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description `{data: {}}`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: Record<string, never>;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1DsyncSetuplinksProduct: {
        parameters: {
            query: {
                product: string;
                tenant?: string;
                status?: string;
                pageOffset?: string;
                pageLimit?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of links. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["SetupLink"][];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    postApiV1DsyncSetuplinksRegenerate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    id: string;
                };
            };
        };
        responses: {
            /** @description The link with its new URL. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["SetupLink"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    postApiV1PortalLinks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    tenant: string;
                    product: string;
                    /** @enum {string} */
                    intent: "sso" | "dsync" | "domain_verification" | "certificate_renewal" | "audit_log";
                    clientID?: string;
                    returnUrl?: string;
                    expiresInMinutes?: number;
                };
            };
        };
        responses: {
            /** @description The URL (opened once; again: 410) and when it expires. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            url: string;
                            expiresAt: string;
                        };
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1IdentityFederation: {
        parameters: {
            query?: {
                id?: string;
                tenant?: string;
                product?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The app. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["FederationSamlApp"] | components["schemas"]["FederationOidcApp"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    postApiV1IdentityFederation: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    tenant: string;
                    product: string;
                    /**
                     * @default saml
                     * @constant
                     */
                    type?: "saml";
                    entityId: string;
                    name: string;
                    logoUrl?: "" | null | string;
                    faviconUrl?: "" | null | string;
                    primaryColor?: "" | null | string;
                    tenants?: string[];
                    mappings?: {
                        key: string;
                        value: string;
                    }[];
                    samlAudienceOverride?: "" | null | string;
                    ttlInMinutes?: "" | null | number;
                    acsUrl: string;
                } | {
                    tenant: string;
                    product: string;
                    /** @constant */
                    type: "oidc";
                    redirectUrl: string[] | string;
                    name: string;
                    logoUrl?: "" | null | string;
                    faviconUrl?: "" | null | string;
                    primaryColor?: "" | null | string;
                    tenants?: string[];
                    mappings?: {
                        key: string;
                        value: string;
                    }[];
                    samlAudienceOverride?: "" | null | string;
                    ttlInMinutes?: "" | null | number;
                };
            };
        };
        responses: {
            /** @description The app. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["FederationSamlApp"] | components["schemas"]["FederationOidcApp"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    deleteApiV1IdentityFederation: {
        parameters: {
            query?: {
                id?: string;
                tenant?: string;
                product?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description `{data: {}}`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: Record<string, never>;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    patchApiV1IdentityFederation: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    id?: string;
                    tenant?: string;
                    product?: string;
                    /** @enum {string} */
                    type?: "saml" | "oidc";
                    entityId?: string;
                    name?: string;
                    logoUrl?: "" | null | string;
                    faviconUrl?: "" | null | string;
                    primaryColor?: "" | null | string;
                    tenants?: string[];
                    mappings?: {
                        key: string;
                        value: string;
                    }[];
                    samlAudienceOverride?: "" | null | string;
                    ttlInMinutes?: "" | null | number;
                    acsUrl?: string;
                } | {
                    redirectUrl?: string[] | string;
                    name?: string;
                    logoUrl?: "" | null | string;
                    faviconUrl?: "" | null | string;
                    primaryColor?: "" | null | string;
                    tenants?: string[];
                    mappings?: {
                        key: string;
                        value: string;
                    }[];
                    samlAudienceOverride?: "" | null | string;
                    ttlInMinutes?: "" | null | number;
                };
            };
        };
        responses: {
            /** @description The app. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["FederationSamlApp"] | components["schemas"]["FederationOidcApp"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1IdentityFederationProduct: {
        parameters: {
            query: {
                product: string;
                pageOffset?: string;
                pageLimit?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The apps. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: (components["schemas"]["FederationSamlApp"] | components["schemas"]["FederationOidcApp"])[];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1IdentityFederationMetadata: {
        parameters: {
            query?: {
                appId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The metadata. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            xml: string;
                            entityId: string;
                            ssoUrl: string;
                            x509cert: string;
                        };
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1Products: {
        parameters: {
            query?: {
                limit?: string;
                after?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of products. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Product"][];
                        nextCursor?: string | null;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    postApiV1Products: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    product: string;
                    name?: string;
                    defaultRedirectUrl?: string;
                    initiateLoginUri?: string;
                    roles?: {
                        key: string;
                        name?: string;
                    }[];
                    refreshTokens?: boolean;
                    refreshTokenIdleSeconds?: number | null;
                    refreshTokenAbsoluteSeconds?: number | null;
                    postLogoutRedirectUris?: string[];
                    backchannelLogoutUri?: string | null;
                    backchannelLogoutSessionRequired?: boolean;
                    portalReturnUrls?: string[] | null;
                    portalFrameAncestors?: string[] | null;
                };
            };
        };
        responses: {
            /** @description The product. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Product"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1ProductsProduct: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                product: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The product. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Product"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    deleteApiV1ProductsProduct: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                product: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    patchApiV1ProductsProduct: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                product: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    defaultRedirectUrl?: string | null;
                    initiateLoginUri?: string | null;
                    roles?: {
                        key: string;
                        name?: string;
                    }[];
                    refreshTokens?: boolean;
                    refreshTokenIdleSeconds?: number | null;
                    refreshTokenAbsoluteSeconds?: number | null;
                    postLogoutRedirectUris?: string[];
                    backchannelLogoutUri?: string | null;
                    backchannelLogoutSessionRequired?: boolean;
                    portalReturnUrls?: string[] | null;
                    portalFrameAncestors?: string[] | null;
                };
            };
        };
        responses: {
            /** @description The product. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Product"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1Tenants: {
        parameters: {
            query?: {
                limit?: string;
                after?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of tenants. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Tenant"][];
                        nextCursor?: string | null;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    postApiV1Tenants: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    tenant: string;
                    enterpriseKey?: string & (unknown & unknown);
                    name?: string;
                };
            };
        };
        responses: {
            /** @description The tenant. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Tenant"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1TenantsTenant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenant: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tenant. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Tenant"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    deleteApiV1TenantsTenant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenant: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    patchApiV1TenantsTenant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenant: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    enterpriseKey?: string & (unknown & unknown);
                    name?: string;
                };
            };
        };
        responses: {
            /** @description The tenant. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Tenant"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1TenantsTenantDomains: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenant: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The domains. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Domain"][];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    postApiV1TenantsTenantDomains: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenant: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    domain: string;
                };
            };
        };
        responses: {
            /** @description The domain, with the TXT record to publish. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Domain"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    postApiV1TenantsTenantDomainsDomainVerify: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenant: string;
                domain: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The domain. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Domain"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    deleteApiV1TenantsTenantDomainsDomain: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenant: string;
                domain: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1Dsync: {
        parameters: {
            query: {
                tenant?: string;
                product: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The directories, newest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Directory"][];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    postApiV1Dsync: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    tenant: string;
                    product: string;
                    name?: string;
                    /**
                     * @default generic-scim-v2
                     * @enum {string}
                     */
                    type?: "generic-scim-v2" | "okta-scim-v2" | "azure-scim-v2" | "onelogin-scim-v2" | "jumpcloud-scim-v2" | "ping-scim-v2" | "keycloak-scim-v2";
                    webhook_url?: string;
                    webhook_secret?: string | null;
                    log_webhook_events?: boolean | ("true" | "false");
                    deactivated?: boolean | ("true" | "false");
                };
            };
        };
        responses: {
            /** @description The directory, with `scim.secret`. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Directory"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1DsyncProduct: {
        parameters: {
            query: {
                product: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The directories. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Directory"][];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1DsyncDirectoryId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                directoryId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The directory (no secrets). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Directory"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    deleteApiV1DsyncDirectoryId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                directoryId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description `{data: {}}`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: Record<string, never>;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    patchApiV1DsyncDirectoryId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                directoryId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    /** @enum {string} */
                    type?: "generic-scim-v2" | "okta-scim-v2" | "azure-scim-v2" | "onelogin-scim-v2" | "jumpcloud-scim-v2" | "ping-scim-v2" | "keycloak-scim-v2";
                    webhook_url?: string;
                    webhook_secret?: string | null;
                    log_webhook_events?: boolean | ("true" | "false");
                    deactivated?: boolean | ("true" | "false");
                    tenant?: string;
                    product?: string;
                };
            };
        };
        responses: {
            /** @description The directory. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Directory"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    postApiV1DsyncDirectoryIdScimSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                directoryId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The directory with its new `scim.secret`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Directory"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1DsyncDirectoryIdRequests: {
        parameters: {
            query?: {
                method?: string;
                status?: string;
                since?: string;
                limit?: string;
                cursor?: string;
            };
            header?: never;
            path: {
                directoryId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of recorded requests, newest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScimRequestPage"];
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1DsyncUsers: {
        parameters: {
            query?: {
                directoryId?: string;
                tenant?: string;
                product?: string;
                pageToken?: string;
                pageOffset?: string;
                pageLimit?: string;
                limit?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of users. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["DirectoryUser"][];
                        pageToken: string | null;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1DsyncUsersUserId: {
        parameters: {
            query?: {
                directoryId?: string;
                tenant?: string;
                product?: string;
            };
            header?: never;
            path: {
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["DirectoryUser"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1DsyncGroups: {
        parameters: {
            query?: {
                directoryId?: string;
                tenant?: string;
                product?: string;
                pageToken?: string;
                pageOffset?: string;
                pageLimit?: string;
                limit?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of groups. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["DirectoryGroup"][];
                        pageToken: string | null;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1DsyncGroupsGroupId: {
        parameters: {
            query?: {
                directoryId?: string;
                tenant?: string;
                product?: string;
            };
            header?: never;
            path: {
                groupId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The group. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["DirectoryGroup"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1DsyncGroupsGroupIdMembers: {
        parameters: {
            query?: {
                directoryId?: string;
                tenant?: string;
                product?: string;
                pageToken?: string;
                pageOffset?: string;
                pageLimit?: string;
                limit?: string;
            };
            header?: never;
            path: {
                groupId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of members (`pageToken` continues it). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            user_id: string;
                        }[];
                        pageToken: string | null;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1DsyncEvents: {
        parameters: {
            query?: {
                directoryId?: string;
                tenant?: string;
                product?: string;
                pageToken?: string;
                pageOffset?: string;
                pageLimit?: string;
                limit?: string;
                status?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of events, the cursor, and counts by status. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["WebhookEvent"][];
                        pageToken: string | null;
                        counts?: {
                            [key: string]: number;
                        };
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    deleteApiV1DsyncEvents: {
        parameters: {
            query: {
                directoryId: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description `{data: null}`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data?: null;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1DsyncEventsEventId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                eventId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The event. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["WebhookEvent"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    postApiV1DsyncEventsEventIdReplay: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                eventId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description How many events were queued again. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            replayed: number;
                        };
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    postApiV1DsyncEventsEventIdRetry: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                eventId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The event, due now. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            id: string;
                            /** Format: date-time */
                            next_attempt_at: string;
                        };
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    postApiV1DsyncEventsReplay: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    directoryId: string;
                    ids?: string[];
                };
            };
        };
        responses: {
            /** @description How many events were queued again. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            replayed: number;
                        };
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1Events: {
        parameters: {
            query?: {
                tenant?: string;
                product?: string;
                types?: string;
                after?: string;
                limit?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of events and the cursor to continue after. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: ({
                            id: string;
                            type: string;
                            tenant: string | null;
                            product: string | null;
                            createdAt: string;
                            data: unknown;
                        } & {
                            [key: string]: unknown;
                        })[];
                        nextCursor: string | null;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1Sessions: {
        parameters: {
            query: {
                tenant: string;
                product: string;
                email?: string;
                connection?: string;
                limit?: number;
                after?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of sessions. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["AppSession"][];
                        nextCursor?: string | null;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    postApiV1SessionsEnd: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    tenant: string;
                    product: string;
                    email?: string;
                    sub?: string;
                };
            };
        };
        responses: {
            /** @description How many sessions ended, and which. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            ended: number;
                            sessions: components["schemas"]["AppSession"][];
                        };
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1SessionsSid: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                sid: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The session. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["AppSession"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    deleteApiV1SessionsSid: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                sid: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ended. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1Reconciliation: {
        parameters: {
            query: {
                tenant: string;
                product: string;
                format?: "json" | "csv";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The reconciliation (`text/csv` when asked for). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Reconciliation"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiV1RoleMappings: {
        parameters: {
            query: {
                tenant: string;
                product: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The mappings, the product's roles and the groups the IdP is known to send. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["RoleMappings"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    putApiV1RoleMappings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    tenant: string;
                    product: string;
                    mappings: {
                        group: string;
                        role: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description The mappings, as saved. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["RoleMappings"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    postApiV1RoleMappingsPreview: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    tenant: string;
                    product: string;
                    mappings: {
                        group: string;
                        role: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description Who would get which roles. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["RolePreview"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiOauthAuthorize: {
        parameters: {
            query: {
                response_type: string;
                client_id: string;
                redirect_uri: string;
                state?: string;
                scope?: string;
                nonce?: string;
                code_challenge?: string;
                code_challenge_method?: string;
                tenant?: string;
                product?: string;
                idp_hint?: string;
                login_hint?: string;
                prompt?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An auto-posting SAML form (HTTP-POST binding) or the IdP picker. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description To the IdP, or back to the verified redirect URI with `error=`. */
            302: {
                headers: {
                    /** @description Where the browser goes next. */
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request cannot be trusted (unknown client, redirect URI not allowed). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    postApiOauthAuthorize: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": {
                    response_type?: string;
                    client_id?: string;
                    redirect_uri?: string;
                    state?: string;
                    scope?: string;
                    nonce?: string;
                    code_challenge?: string;
                    code_challenge_method?: string;
                    tenant?: string;
                    product?: string;
                    idp_hint?: string;
                    login_hint?: string;
                    prompt?: string;
                };
            };
        };
        responses: {
            /** @description An auto-posting SAML form or the IdP picker. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description To the IdP, or back with `error=`. */
            302: {
                headers: {
                    /** @description Where the browser goes next. */
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request cannot be trusted. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    postApiOauthToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": {
                    /** @enum {string} */
                    grant_type: "authorization_code" | "refresh_token";
                    code?: string;
                    redirect_uri?: string;
                    code_verifier?: string;
                    refresh_token?: string;
                    /** @description A connection's client ID, `tenant=<t>&product=<p>` URL-encoded, or `dummy`. */
                    client_id?: string;
                    client_secret?: string;
                    scope?: string;
                };
            };
        };
        responses: {
            /** @description Tokens (`Cache-Control: no-store`). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenResponse"];
                };
            };
            400: components["responses"]["OAuthError400"];
            401: components["responses"]["OAuthError401"];
            429: components["responses"]["OAuthError429"];
        };
    };
    postApiOauthRevoke: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": {
                    token: string;
                    /** @enum {string} */
                    token_type_hint?: "access_token" | "refresh_token";
                    client_id?: string;
                    client_secret?: string;
                };
            };
        };
        responses: {
            /** @description Revoked, or unknown (RFC 7009 §2.2). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["OAuthError400"];
            401: components["responses"]["OAuthError401"];
            429: components["responses"]["OAuthError429"];
        };
    };
    postApiOauthIntrospect: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": {
                    token: string;
                    /** @enum {string} */
                    token_type_hint?: "access_token" | "refresh_token";
                    client_id?: string;
                    client_secret?: string;
                };
            };
        };
        responses: {
            /** @description `{active: false}` or the token's claims. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Introspection"];
                };
            };
            400: components["responses"]["OAuthError400"];
            401: components["responses"]["OAuthError401"];
            429: components["responses"]["OAuthError429"];
        };
    };
    getApiOauthUserinfo: {
        parameters: {
            query?: {
                access_token?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The profile. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Userinfo"];
                };
            };
            400: components["responses"]["OAuthError400"];
            401: components["responses"]["OAuthError401"];
            429: components["responses"]["OAuthError429"];
        };
    };
    postApiOauthUserinfo: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The profile. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Userinfo"];
                };
            };
            400: components["responses"]["OAuthError400"];
            401: components["responses"]["OAuthError401"];
            429: components["responses"]["OAuthError429"];
        };
    };
    getApiOauthLogout: {
        parameters: {
            query?: {
                id_token_hint?: string;
                client_id?: string;
                post_logout_redirect_uri?: string;
                state?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The signed-out page, or a form to the IdP. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description To the IdP's logout or the verified post-logout URI. */
            302: {
                headers: {
                    /** @description Where the browser goes next. */
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused (never a redirect to an unverified URI). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    postApiOauthLogout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": {
                    id_token_hint?: string;
                    client_id?: string;
                    post_logout_redirect_uri?: string;
                    state?: string;
                };
            };
        };
        responses: {
            /** @description The signed-out page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description To the IdP or the app. */
            302: {
                headers: {
                    /** @description Where the browser goes next. */
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    getWellKnownOpenidConfiguration: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Discovery metadata (`issuer` = EXTERNAL_URL). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        issuer: string;
                        authorization_endpoint: string;
                        token_endpoint: string;
                        userinfo_endpoint: string;
                        jwks_uri: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            400: components["responses"]["OAuthError400"];
            401: components["responses"]["OAuthError401"];
            429: components["responses"]["OAuthError429"];
        };
    };
    getApiWellKnownOpenidConfiguration: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Discovery metadata (`issuer` = EXTERNAL_URL). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        issuer: string;
                        authorization_endpoint: string;
                        token_endpoint: string;
                        userinfo_endpoint: string;
                        jwks_uri: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            400: components["responses"]["OAuthError400"];
            401: components["responses"]["OAuthError401"];
            429: components["responses"]["OAuthError429"];
        };
    };
    getOauthJwks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The JWKS. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        keys: ({
                            kty: string;
                            kid: string;
                            use?: string;
                            alg?: string;
                        } & {
                            [key: string]: unknown;
                        })[];
                    };
                };
            };
            400: components["responses"]["OAuthError400"];
            401: components["responses"]["OAuthError401"];
            429: components["responses"]["OAuthError429"];
        };
    };
    getApiOauthJwks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The JWKS. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        keys: ({
                            kty: string;
                            kid: string;
                            use?: string;
                            alg?: string;
                        } & {
                            [key: string]: unknown;
                        })[];
                    };
                };
            };
            400: components["responses"]["OAuthError400"];
            401: components["responses"]["OAuthError401"];
            429: components["responses"]["OAuthError429"];
        };
    };
    postApiOauthSaml: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": {
                    SAMLResponse?: string;
                    SAMLRequest?: string;
                    RelayState?: string;
                };
            };
        };
        responses: {
            /** @description A form posting onwards (Identity Federation). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description To the app with a code, or with `error=` to its verified URI. */
            302: {
                headers: {
                    /** @description Where the browser goes next. */
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The response was refused. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description The body is over 2 MiB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    getApiOauthSamlSlo: {
        parameters: {
            query?: {
                SAMLRequest?: string;
                SAMLResponse?: string;
                RelayState?: string;
                SigAlg?: string;
                Signature?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A form or the signed-out page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description The LogoutResponse to the IdP, or on to the app. */
            302: {
                headers: {
                    /** @description Where the browser goes next. */
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    postApiOauthSamlSlo: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": {
                    SAMLResponse?: string;
                    SAMLRequest?: string;
                    RelayState?: string;
                };
            };
        };
        responses: {
            /** @description A form or the signed-out page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description On to the IdP or the app. */
            302: {
                headers: {
                    /** @description Where the browser goes next. */
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    getApiLogout: {
        parameters: {
            query?: {
                SAMLRequest?: string;
                SAMLResponse?: string;
                RelayState?: string;
                SigAlg?: string;
                Signature?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A form or the signed-out page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description The LogoutResponse to the IdP, or on to the app. */
            302: {
                headers: {
                    /** @description Where the browser goes next. */
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    postApiLogout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": {
                    SAMLResponse?: string;
                    SAMLRequest?: string;
                    RelayState?: string;
                };
            };
        };
        responses: {
            /** @description A form or the signed-out page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description On to the IdP or the app. */
            302: {
                headers: {
                    /** @description Where the browser goes next. */
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    getApiOauthOidc: {
        parameters: {
            query?: {
                code?: string;
                state?: string;
                error?: string;
                error_description?: string;
                iss?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description To the app with a code, or with `error=`. */
            302: {
                headers: {
                    /** @description Where the browser goes next. */
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    getWellKnownSpMetadata: {
        parameters: {
            query?: {
                encryption?: string;
                download?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The metadata XML. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": string;
                };
            };
        };
    };
    getApiWellKnownSpMetadata: {
        parameters: {
            query?: {
                encryption?: string;
                download?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The metadata XML. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": string;
                };
            };
        };
    };
    getWellKnownSamlCer: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description PEM. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/x-x509-ca-cert": string;
                };
            };
        };
    };
    getApiWellKnownSamlCer: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description PEM. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/x-x509-ca-cert": string;
                };
            };
        };
    };
    getWellKnownIdpMetadata: {
        parameters: {
            query?: {
                appId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The metadata XML. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": string;
                };
            };
        };
    };
    getApiWellKnownIdpMetadata: {
        parameters: {
            query?: {
                appId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The metadata XML. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": string;
                };
            };
        };
    };
    getLoginSso: {
        parameters: {
            query: {
                enterprise_key: string;
                product?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description On to the IdP (or the picker). */
            302: {
                headers: {
                    /** @description Where the browser goes next. */
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unknown enterprise key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    getLoginSsoInvite: {
        parameters: {
            query: {
                enterprise_key: string;
                product?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The invite page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description Unknown enterprise key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    getApiScimV20DirectoryIdUsers: {
        parameters: {
            query?: {
                filter?: string;
                startIndex?: string;
                count?: string;
                attributes?: string;
                excludedAttributes?: string;
            };
            header?: never;
            path: {
                directoryId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A ListResponse; `totalResults` counts every match. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/scim+json": {
                        schemas: [
                            "urn:ietf:params:scim:api:messages:2.0:ListResponse"
                        ];
                        totalResults: number;
                        startIndex?: number;
                        itemsPerPage?: number;
                        Resources: components["schemas"]["ScimUser"][];
                    };
                };
            };
            400: components["responses"]["ScimError400"];
            401: components["responses"]["ScimError401"];
            404: components["responses"]["ScimError404"];
            409: components["responses"]["ScimError409"];
            413: components["responses"]["ScimError413"];
            429: components["responses"]["ScimError429"];
        };
    };
    postApiScimV20DirectoryIdUsers: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                directoryId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    schemas?: string[];
                    id?: string;
                    externalId?: string;
                    userName: string;
                    name?: {
                        givenName?: string;
                        familyName?: string;
                        formatted?: string;
                    } & {
                        [key: string]: unknown;
                    };
                    emails?: ({
                        value: string;
                        primary?: boolean;
                        type?: string;
                    } & {
                        [key: string]: unknown;
                    })[];
                    active?: boolean;
                    groups?: ({
                        value: string;
                        display?: string;
                    } & {
                        [key: string]: unknown;
                    })[];
                    meta?: {
                        resourceType: string;
                        created: string;
                        lastModified: string;
                        location: string;
                        version?: string;
                    } & {
                        [key: string]: unknown;
                    };
                } & {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description The user (`Location` header). */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/scim+json": components["schemas"]["ScimUser"];
                };
            };
            400: components["responses"]["ScimError400"];
            401: components["responses"]["ScimError401"];
            404: components["responses"]["ScimError404"];
            409: components["responses"]["ScimError409"];
            413: components["responses"]["ScimError413"];
            429: components["responses"]["ScimError429"];
        };
    };
    getApiScimV20DirectoryIdUsersId: {
        parameters: {
            query?: {
                attributes?: string;
                excludedAttributes?: string;
            };
            header?: never;
            path: {
                directoryId: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/scim+json": components["schemas"]["ScimUser"];
                };
            };
            400: components["responses"]["ScimError400"];
            401: components["responses"]["ScimError401"];
            404: components["responses"]["ScimError404"];
            409: components["responses"]["ScimError409"];
            413: components["responses"]["ScimError413"];
            429: components["responses"]["ScimError429"];
        };
    };
    putApiScimV20DirectoryIdUsersId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                directoryId: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    schemas?: string[];
                    id?: string;
                    externalId?: string;
                    userName: string;
                    name?: {
                        givenName?: string;
                        familyName?: string;
                        formatted?: string;
                    } & {
                        [key: string]: unknown;
                    };
                    emails?: ({
                        value: string;
                        primary?: boolean;
                        type?: string;
                    } & {
                        [key: string]: unknown;
                    })[];
                    active?: boolean;
                    groups?: ({
                        value: string;
                        display?: string;
                    } & {
                        [key: string]: unknown;
                    })[];
                    meta?: {
                        resourceType: string;
                        created: string;
                        lastModified: string;
                        location: string;
                        version?: string;
                    } & {
                        [key: string]: unknown;
                    };
                } & {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description The user. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/scim+json": components["schemas"]["ScimUser"];
                };
            };
            400: components["responses"]["ScimError400"];
            401: components["responses"]["ScimError401"];
            404: components["responses"]["ScimError404"];
            409: components["responses"]["ScimError409"];
            413: components["responses"]["ScimError413"];
            429: components["responses"]["ScimError429"];
        };
    };
    deleteApiScimV20DirectoryIdUsersId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                directoryId: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["ScimError400"];
            401: components["responses"]["ScimError401"];
            404: components["responses"]["ScimError404"];
            409: components["responses"]["ScimError409"];
            413: components["responses"]["ScimError413"];
            429: components["responses"]["ScimError429"];
        };
    };
    patchApiScimV20DirectoryIdUsersId: {
        parameters: {
            query?: {
                attributes?: string;
                excludedAttributes?: string;
            };
            header?: never;
            path: {
                directoryId: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    schemas: string[];
                    Operations: ({
                        op: string;
                        path?: string;
                        value?: unknown;
                    } & {
                        [key: string]: unknown;
                    })[];
                } & {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description The user. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/scim+json": components["schemas"]["ScimUser"];
                };
            };
            /** @description Patched. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["ScimError400"];
            401: components["responses"]["ScimError401"];
            404: components["responses"]["ScimError404"];
            409: components["responses"]["ScimError409"];
            413: components["responses"]["ScimError413"];
            429: components["responses"]["ScimError429"];
        };
    };
    getApiScimV20DirectoryIdGroups: {
        parameters: {
            query?: {
                filter?: string;
                startIndex?: string;
                count?: string;
                attributes?: string;
                excludedAttributes?: string;
            };
            header?: never;
            path: {
                directoryId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A ListResponse. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/scim+json": {
                        schemas: [
                            "urn:ietf:params:scim:api:messages:2.0:ListResponse"
                        ];
                        totalResults: number;
                        startIndex?: number;
                        itemsPerPage?: number;
                        Resources: components["schemas"]["ScimGroup"][];
                    };
                };
            };
            400: components["responses"]["ScimError400"];
            401: components["responses"]["ScimError401"];
            404: components["responses"]["ScimError404"];
            409: components["responses"]["ScimError409"];
            413: components["responses"]["ScimError413"];
            429: components["responses"]["ScimError429"];
        };
    };
    postApiScimV20DirectoryIdGroups: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                directoryId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    schemas?: string[];
                    id?: string;
                    externalId?: string;
                    displayName: string;
                    members?: ({
                        value: string;
                        display?: string;
                    } & {
                        [key: string]: unknown;
                    })[];
                    meta?: {
                        resourceType: string;
                        created: string;
                        lastModified: string;
                        location: string;
                        version?: string;
                    } & {
                        [key: string]: unknown;
                    };
                } & {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description The group (`Location` header). */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/scim+json": components["schemas"]["ScimGroup"];
                };
            };
            400: components["responses"]["ScimError400"];
            401: components["responses"]["ScimError401"];
            404: components["responses"]["ScimError404"];
            409: components["responses"]["ScimError409"];
            413: components["responses"]["ScimError413"];
            429: components["responses"]["ScimError429"];
        };
    };
    getApiScimV20DirectoryIdGroupsId: {
        parameters: {
            query?: {
                attributes?: string;
                excludedAttributes?: string;
            };
            header?: never;
            path: {
                directoryId: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The group. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/scim+json": components["schemas"]["ScimGroup"];
                };
            };
            400: components["responses"]["ScimError400"];
            401: components["responses"]["ScimError401"];
            404: components["responses"]["ScimError404"];
            409: components["responses"]["ScimError409"];
            413: components["responses"]["ScimError413"];
            429: components["responses"]["ScimError429"];
        };
    };
    putApiScimV20DirectoryIdGroupsId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                directoryId: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    schemas?: string[];
                    id?: string;
                    externalId?: string;
                    displayName: string;
                    members?: ({
                        value: string;
                        display?: string;
                    } & {
                        [key: string]: unknown;
                    })[];
                    meta?: {
                        resourceType: string;
                        created: string;
                        lastModified: string;
                        location: string;
                        version?: string;
                    } & {
                        [key: string]: unknown;
                    };
                } & {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description The group. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/scim+json": components["schemas"]["ScimGroup"];
                };
            };
            400: components["responses"]["ScimError400"];
            401: components["responses"]["ScimError401"];
            404: components["responses"]["ScimError404"];
            409: components["responses"]["ScimError409"];
            413: components["responses"]["ScimError413"];
            429: components["responses"]["ScimError429"];
        };
    };
    deleteApiScimV20DirectoryIdGroupsId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                directoryId: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["ScimError400"];
            401: components["responses"]["ScimError401"];
            404: components["responses"]["ScimError404"];
            409: components["responses"]["ScimError409"];
            413: components["responses"]["ScimError413"];
            429: components["responses"]["ScimError429"];
        };
    };
    patchApiScimV20DirectoryIdGroupsId: {
        parameters: {
            query?: {
                attributes?: string;
                excludedAttributes?: string;
            };
            header?: never;
            path: {
                directoryId: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    schemas: string[];
                    Operations: ({
                        op: string;
                        path?: string;
                        value?: unknown;
                    } & {
                        [key: string]: unknown;
                    })[];
                } & {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description The group, when asked for. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/scim+json": components["schemas"]["ScimGroup"];
                };
            };
            /** @description Patched. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["ScimError400"];
            401: components["responses"]["ScimError401"];
            404: components["responses"]["ScimError404"];
            409: components["responses"]["ScimError409"];
            413: components["responses"]["ScimError413"];
            429: components["responses"]["ScimError429"];
        };
    };
    getApiScimV20DirectoryIdServiceProviderConfig: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                directoryId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The configuration. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/scim+json": components["schemas"]["ScimServiceProviderConfig"];
                };
            };
            400: components["responses"]["ScimError400"];
            401: components["responses"]["ScimError401"];
            404: components["responses"]["ScimError404"];
            409: components["responses"]["ScimError409"];
            413: components["responses"]["ScimError413"];
            429: components["responses"]["ScimError429"];
        };
    };
    getApiScimV20DirectoryIdSchemas: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                directoryId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The schemas. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/scim+json": {
                        schemas: [
                            "urn:ietf:params:scim:api:messages:2.0:ListResponse"
                        ];
                        totalResults: number;
                        startIndex?: number;
                        itemsPerPage?: number;
                        Resources: components["schemas"]["ScimSchema"][];
                    };
                };
            };
            400: components["responses"]["ScimError400"];
            401: components["responses"]["ScimError401"];
            404: components["responses"]["ScimError404"];
            409: components["responses"]["ScimError409"];
            413: components["responses"]["ScimError413"];
            429: components["responses"]["ScimError429"];
        };
    };
    getApiScimV20DirectoryIdSchemasId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                directoryId: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The schema. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/scim+json": components["schemas"]["ScimSchema"];
                };
            };
            400: components["responses"]["ScimError400"];
            401: components["responses"]["ScimError401"];
            404: components["responses"]["ScimError404"];
            409: components["responses"]["ScimError409"];
            413: components["responses"]["ScimError413"];
            429: components["responses"]["ScimError429"];
        };
    };
    getApiScimV20DirectoryIdResourceTypes: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                directoryId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The resource types. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/scim+json": {
                        schemas: [
                            "urn:ietf:params:scim:api:messages:2.0:ListResponse"
                        ];
                        totalResults: number;
                        startIndex?: number;
                        itemsPerPage?: number;
                        Resources: components["schemas"]["ScimResourceType"][];
                    };
                };
            };
            400: components["responses"]["ScimError400"];
            401: components["responses"]["ScimError401"];
            404: components["responses"]["ScimError404"];
            409: components["responses"]["ScimError409"];
            413: components["responses"]["ScimError413"];
            429: components["responses"]["ScimError429"];
        };
    };
    getApiScimV20DirectoryIdResourceTypesId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                directoryId: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The resource type. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/scim+json": components["schemas"]["ScimResourceType"];
                };
            };
            400: components["responses"]["ScimError400"];
            401: components["responses"]["ScimError401"];
            404: components["responses"]["ScimError404"];
            409: components["responses"]["ScimError409"];
            413: components["responses"]["ScimError413"];
            429: components["responses"]["ScimError429"];
        };
    };
    getApiSetupToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The setup link's token: the only credential this API takes. */
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The link. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["SetupLinkInfo"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            410: components["responses"]["Problem410"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiSetupTokenSsoConnection: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The setup link's token: the only credential this API takes. */
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The connections. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Connection"][];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            410: components["responses"]["Problem410"];
            429: components["responses"]["Problem429"];
        };
    };
    postApiSetupTokenSsoConnection: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The setup link's token: the only credential this API takes. */
                token: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    rawMetadata?: string;
                    encodedRawMetadata?: string;
                    metadataUrl?: string;
                    name?: string;
                    description?: string;
                    forceAuthn?: boolean | ("0" | "1" | "true" | "false" | "");
                    allowSha1?: boolean | ("0" | "1" | "true" | "false" | "");
                    allowIdpInitiated?: boolean | ("0" | "1" | "true" | "false" | "");
                    wantAuthnRequestsSigned?: boolean | ("0" | "1" | "true" | "false" | "");
                    attributeMapping?: {
                        [key: string]: string | string[];
                    } | string;
                    sortOrder?: number;
                    label?: string;
                    identifierFormat?: string;
                    acsUrlOverride?: string;
                    samlAudienceOverride?: string;
                    deactivated?: boolean | ("0" | "1" | "true" | "false" | "");
                    backchannelLogoutUri?: string | null;
                    oidcDiscoveryUrl?: string;
                    oidcMetadata?: unknown;
                    oidcClientId?: string;
                    oidcClientSecret?: string;
                    oidcScopes?: string;
                };
            };
        };
        responses: {
            /** @description Updated in place. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Connection"];
                    };
                };
            };
            /** @description Created. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Connection"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            410: components["responses"]["Problem410"];
            429: components["responses"]["Problem429"];
        };
    };
    deleteApiSetupTokenSsoConnection: {
        parameters: {
            query: {
                clientID: string;
            };
            header?: never;
            path: {
                /** @description The setup link's token: the only credential this API takes. */
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            410: components["responses"]["Problem410"];
            429: components["responses"]["Problem429"];
        };
    };
    patchApiSetupTokenSsoConnection: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The setup link's token: the only credential this API takes. */
                token: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    clientID: string;
                    rawMetadata?: string;
                    encodedRawMetadata?: string;
                    metadataUrl?: string;
                    addIdpCertificate?: string;
                    removeIdpCertificate?: string;
                    name?: string;
                    description?: string;
                    forceAuthn?: boolean | ("0" | "1" | "true" | "false" | "");
                    allowSha1?: boolean | ("0" | "1" | "true" | "false" | "");
                    allowIdpInitiated?: boolean | ("0" | "1" | "true" | "false" | "");
                    wantAuthnRequestsSigned?: boolean | ("0" | "1" | "true" | "false" | "");
                    attributeMapping?: {
                        [key: string]: string | string[];
                    } | string;
                    sortOrder?: number;
                    label?: string;
                    identifierFormat?: string;
                    acsUrlOverride?: string;
                    samlAudienceOverride?: string;
                    deactivated?: boolean | ("0" | "1" | "true" | "false" | "");
                    backchannelLogoutUri?: string | null;
                    oidcDiscoveryUrl?: string;
                    oidcMetadata?: unknown;
                    oidcClientId?: string;
                    oidcClientSecret?: string;
                    oidcScopes?: string;
                };
            };
        };
        responses: {
            /** @description The connection. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Connection"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            410: components["responses"]["Problem410"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiSetupTokenSsoConnectionClientID: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The setup link's token: the only credential this API takes. */
                token: string;
                clientID: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The connection. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Connection"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            410: components["responses"]["Problem410"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiSetupTokenSsoConnectionClientIDHealth: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The setup link's token: the only credential this API takes. */
                token: string;
                clientID: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Health. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["ConnectionHealth"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            410: components["responses"]["Problem410"];
            429: components["responses"]["Problem429"];
        };
    };
    postApiSetupTokenSsoConnectionClientIDTest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The setup link's token: the only credential this API takes. */
                token: string;
                clientID: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The test and the URL to open. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            testId: string;
                            url: string;
                        };
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            410: components["responses"]["Problem410"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiSetupTokenTestsTestIdStart: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The setup link's token: the only credential this API takes. */
                token: string;
                testId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An auto-posting form to the IdP. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description To the IdP. */
            302: {
                headers: {
                    /** @description Where the browser goes next. */
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            410: components["responses"]["Problem410"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiSetupTokenTestsTestId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The setup link's token: the only credential this API takes. */
                token: string;
                testId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The result. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["ConnectionTest"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            410: components["responses"]["Problem410"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiSetupTokenLinks: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The setup link's token: the only credential this API takes. */
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The links. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            oneClickUrl: string;
                            inviteUrl: string;
                            tested: boolean;
                        };
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            410: components["responses"]["Problem410"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiSetupTokenSsoConnectionClientIDDraft: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The setup link's token: the only credential this API takes. */
                token: string;
                clientID: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The draft (404 when there is none). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["ConnectionVersion"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            410: components["responses"]["Problem410"];
            429: components["responses"]["Problem429"];
        };
    };
    postApiSetupTokenSsoConnectionClientIDDraft: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The setup link's token: the only credential this API takes. */
                token: string;
                clientID: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    rawMetadata?: string;
                    encodedRawMetadata?: string;
                    metadataUrl?: string;
                    forceAuthn?: boolean | ("0" | "1" | "true" | "false" | "");
                    allowSha1?: boolean | ("0" | "1" | "true" | "false" | "");
                    allowIdpInitiated?: boolean | ("0" | "1" | "true" | "false" | "");
                    wantAuthnRequestsSigned?: boolean | ("0" | "1" | "true" | "false" | "");
                    attributeMapping?: {
                        [key: string]: string | string[];
                    } | string;
                    label?: string;
                    identifierFormat?: string;
                    acsUrlOverride?: string;
                    samlAudienceOverride?: string;
                    oidcDiscoveryUrl?: string;
                    oidcMetadata?: unknown;
                    oidcClientId?: string;
                    oidcClientSecret?: string;
                    oidcScopes?: string;
                };
            };
        };
        responses: {
            /** @description Updated. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["ConnectionVersion"];
                    };
                };
            };
            /** @description Created. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["ConnectionVersion"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            410: components["responses"]["Problem410"];
            429: components["responses"]["Problem429"];
        };
    };
    deleteApiSetupTokenSsoConnectionClientIDDraft: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The setup link's token: the only credential this API takes. */
                token: string;
                clientID: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Discarded. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            410: components["responses"]["Problem410"];
            429: components["responses"]["Problem429"];
        };
    };
    postApiSetupTokenSsoConnectionClientIDDraftTest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The setup link's token: the only credential this API takes. */
                token: string;
                clientID: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The test, the draft version under test and the URL to open. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            testId: string;
                            version: number;
                            url: string;
                        };
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            410: components["responses"]["Problem410"];
            429: components["responses"]["Problem429"];
        };
    };
    postApiSetupTokenSsoConnectionClientIDDraftPromote: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The setup link's token: the only credential this API takes. */
                token: string;
                clientID: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The version now live. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["VersionSwitch"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            410: components["responses"]["Problem410"];
            429: components["responses"]["Problem429"];
        };
    };
    postApiSetupTokenSsoConnectionClientIDRollback: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The setup link's token: the only credential this API takes. */
                token: string;
                clientID: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The version now live. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["VersionSwitch"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            410: components["responses"]["Problem410"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiSetupTokenSsoConnectionClientIDVersions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The setup link's token: the only credential this API takes. */
                token: string;
                clientID: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The versions, newest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["ConnectionVersion"][];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            410: components["responses"]["Problem410"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiSetupTokenDirectorySync: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The setup link's token: the only credential this API takes. */
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The directories (no secrets), with their activity. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["LinkDirectory"][];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            410: components["responses"]["Problem410"];
            429: components["responses"]["Problem429"];
        };
    };
    postApiSetupTokenDirectorySync: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The setup link's token: the only credential this API takes. */
                token: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    /** @enum {string} */
                    type?: "generic-scim-v2" | "okta-scim-v2" | "azure-scim-v2" | "onelogin-scim-v2" | "jumpcloud-scim-v2" | "ping-scim-v2" | "keycloak-scim-v2";
                };
            };
        };
        responses: {
            /** @description The directory with `scim.secret`. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["LinkDirectory"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            410: components["responses"]["Problem410"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiSetupTokenDirectorySyncId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The setup link's token: the only credential this API takes. */
                token: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The directory. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["LinkDirectory"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            410: components["responses"]["Problem410"];
            429: components["responses"]["Problem429"];
        };
    };
    deleteApiSetupTokenDirectorySyncId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The setup link's token: the only credential this API takes. */
                token: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            410: components["responses"]["Problem410"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiSetupTokenDirectorySyncIdRequests: {
        parameters: {
            query?: {
                method?: string;
                status?: string;
                since?: string;
                limit?: string;
                cursor?: string;
            };
            header?: never;
            path: {
                /** @description The setup link's token: the only credential this API takes. */
                token: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of recorded requests, newest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScimRequestPage"];
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            410: components["responses"]["Problem410"];
            429: components["responses"]["Problem429"];
        };
    };
    postApiSetupTokenDirectorySyncIdRotateSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The setup link's token: the only credential this API takes. */
                token: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The directory with its new `scim.secret`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["LinkDirectory"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            410: components["responses"]["Problem410"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiSetupTokenRoleMappings: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The setup link's token: the only credential this API takes. */
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The mappings. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["RoleMappings"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            410: components["responses"]["Problem410"];
            429: components["responses"]["Problem429"];
        };
    };
    putApiSetupTokenRoleMappings: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The setup link's token: the only credential this API takes. */
                token: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    mappings: {
                        group: string;
                        role: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description The mappings. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["RoleMappings"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            410: components["responses"]["Problem410"];
            429: components["responses"]["Problem429"];
        };
    };
    postApiSetupTokenRoleMappingsPreview: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The setup link's token: the only credential this API takes. */
                token: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    mappings: {
                        group: string;
                        role: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description Who would get which roles. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["RolePreview"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            410: components["responses"]["Problem410"];
            429: components["responses"]["Problem429"];
        };
    };
    getApiHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Alive. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "ok";
                    };
                };
            };
        };
    };
    getApiReady: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        status: string;
                    };
                };
            };
            /** @description Draining or database unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        status: string;
                    };
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text format. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description A token is configured and was not given (`unauthorized`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
        };
    };
}
