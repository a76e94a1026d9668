/**
 * Generated from Herald's OpenAPI document by `npm run generate -w sdk`. Do not edit: a test fails when this
 * file no longer matches what the server describes.
 */

export interface paths {
    "/v1/endpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List endpoints */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                    tenant?: string;
                    format?: "strigo" | "cloudpods" | "standard";
                    enabled?: "true" | "false";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of endpoints, oldest first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "data": [
                         *         {
                         *           "id": "ep_01M8RPCTYR7YRHH9PV3WT5TRXP",
                         *           "name": "ops alerts",
                         *           "url": "https://hooks.example.com/herald",
                         *           "format": "standard",
                         *           "tenant": "default",
                         *           "enabled": true,
                         *           "disabled_reason": null,
                         *           "auth": null,
                         *           "has_secret": true,
                         *           "headers": {
                         *             "X-Team": "ops"
                         *           },
                         *           "body": {},
                         *           "msg_key": "Msg",
                         *           "lang": "en",
                         *           "use_template": false,
                         *           "template_mode": null,
                         *           "rate_limit": null,
                         *           "max_in_flight": null,
                         *           "callback": {
                         *             "url": "https://herald.example.com/v1/incoming",
                         *             "user": "cb_2kh7pmfBF6ul"
                         *           },
                         *           "failing_since": null,
                         *           "created_at": "2026-12-01T11:38:45.592Z",
                         *           "updated_at": "2026-12-01T11:38:45.592Z"
                         *         }
                         *       ],
                         *       "next_cursor": "ep_01M8RPCTYR7YRHH9PV3WT5TRXP"
                         *     }
                         */
                        "application/json": {
                            data: {
                                id: string;
                                name: string;
                                url: string;
                                /** @enum {string} */
                                format: "strigo" | "cloudpods" | "standard";
                                tenant: string;
                                enabled: boolean;
                                /** @description why Herald or an operator disabled it */
                                disabled_reason: string | null;
                                /** @description the basic-auth user; the key is never shown */
                                auth: {
                                    user: string;
                                } | null;
                                /** @description whether deliveries are signed; the secret is shown only when created or rotated */
                                has_secret: boolean;
                                /** @description extra headers sent with every delivery; values whose name says secret read `****` */
                                headers: {
                                    [key: string]: string;
                                };
                                /** @description extra body keys (cloudpods), numbers as given */
                                body: {
                                    [key: string]: unknown;
                                };
                                msg_key: string;
                                /** @enum {string} */
                                lang: "en" | "cn";
                                use_template: boolean;
                                /** @enum {string|null} */
                                template_mode: "cloudpods" | "go" | null;
                                /** @description deliveries per second at most */
                                rate_limit: number | null;
                                max_in_flight: number | null;
                                callback: {
                                    /** @description where the receiver reports back (POST /v1/incoming) */
                                    url: string;
                                    user: string;
                                    /** @description shown once: when the endpoint is created or the key rotated */
                                    key?: string;
                                };
                                /**
                                 * Format: date-time
                                 * @description when deliveries started failing; null while they succeed
                                 */
                                failing_since: string | null;
                                /** Format: date-time */
                                created_at: string;
                                /** Format: date-time */
                                updated_at: string;
                            }[];
                            /** @description pass as `cursor` for the next page; null on the last page */
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The request is understood but invalid: every problem is listed, each with the field it concerns */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "invalid",
                         *         "message": "2 problems in the request",
                         *         "details": [
                         *           {
                         *             "path": "/format",
                         *             "message": "must be one of strigo, cloudpods, standard",
                         *             "allowed": [
                         *               "strigo",
                         *               "cloudpods",
                         *               "standard"
                         *             ]
                         *           },
                         *           {
                         *             "path": "/url",
                         *             "message": "scheme ftp is not allowed (only http and https)"
                         *           }
                         *         ]
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /**
         * Create an endpoint
         * @description An endpoint is a receiver: a URL and the format it speaks. The answer shows the signing secret and the callback key once; keep them. Every problem with the body is listed in one 422.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        url: string;
                        /** @enum {string} */
                        format: "strigo" | "cloudpods" | "standard";
                        tenant?: string;
                        auth?: {
                            user: string;
                            key: string;
                        } | null;
                        secret?: string | null;
                        headers?: {
                            [key: string]: string;
                        };
                        body?: {
                            [key: string]: unknown;
                        };
                        msg_key?: string;
                        /** @enum {string} */
                        lang?: "en" | "cn";
                        use_template?: boolean;
                        /** @enum {string|null} */
                        template_mode?: "cloudpods" | "go" | null;
                        /** @description deliveries carry a W3C traceparent header naming the attempt (when tracing is on); default false */
                        trace_context?: boolean;
                        validate?: boolean;
                        enabled?: boolean;
                        rate_limit?: number | null;
                        max_in_flight?: number | null;
                        /** @enum {string} */
                        ordering?: "none" | "entity" | "endpoint";
                    };
                };
            };
            responses: {
                /** @description Created. The signing secret and the callback key are shown this once */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "id": "ep_01M8RPCTYR7YRHH9PV3WT5TRXP",
                         *       "name": "ops alerts",
                         *       "url": "https://hooks.example.com/herald",
                         *       "format": "standard",
                         *       "tenant": "default",
                         *       "enabled": true,
                         *       "disabled_reason": null,
                         *       "auth": null,
                         *       "has_secret": true,
                         *       "headers": {
                         *         "X-Team": "ops"
                         *       },
                         *       "body": {},
                         *       "msg_key": "Msg",
                         *       "lang": "en",
                         *       "use_template": false,
                         *       "template_mode": null,
                         *       "rate_limit": null,
                         *       "max_in_flight": null,
                         *       "callback": {
                         *         "url": "https://herald.example.com/v1/incoming",
                         *         "user": "cb_2kh7pmfBF6ul",
                         *         "key": "f_l9X_mEuNqm7hn-nxW0zQiNebUHjRAC"
                         *       },
                         *       "failing_since": null,
                         *       "created_at": "2026-12-01T11:38:45.592Z",
                         *       "updated_at": "2026-12-01T11:38:45.592Z",
                         *       "secret": "whsec_1EzCGyV549hISb0vanEaowjMajs8+CzreZ8q8gH8Oi4="
                         *     }
                         */
                        "application/json": {
                            id: string;
                            name: string;
                            url: string;
                            /** @enum {string} */
                            format: "strigo" | "cloudpods" | "standard";
                            tenant: string;
                            enabled: boolean;
                            /** @description why Herald or an operator disabled it */
                            disabled_reason: string | null;
                            /** @description the basic-auth user; the key is never shown */
                            auth: {
                                user: string;
                            } | null;
                            /** @description whether deliveries are signed; the secret is shown only when created or rotated */
                            has_secret: boolean;
                            /** @description extra headers sent with every delivery; values whose name says secret read `****` */
                            headers: {
                                [key: string]: string;
                            };
                            /** @description extra body keys (cloudpods), numbers as given */
                            body: {
                                [key: string]: unknown;
                            };
                            msg_key: string;
                            /** @enum {string} */
                            lang: "en" | "cn";
                            use_template: boolean;
                            /** @enum {string|null} */
                            template_mode: "cloudpods" | "go" | null;
                            /** @description deliveries per second at most */
                            rate_limit: number | null;
                            max_in_flight: number | null;
                            callback: {
                                /** @description where the receiver reports back (POST /v1/incoming) */
                                url: string;
                                user: string;
                                /** @description shown once: when the endpoint is created or the key rotated */
                                key?: string;
                            };
                            /**
                             * Format: date-time
                             * @description when deliveries started failing; null while they succeed
                             */
                            failing_since: string | null;
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            updated_at: string;
                        } & {
                            /** @description the signing secret, shown this once */
                            secret: string | null;
                        };
                    };
                };
                /** @description The body is not JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "malformed_json",
                         *         "message": "malformed JSON at position 17 (line 1, column 18): Unexpected token }",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Nothing has that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "not_found",
                         *         "message": "endpoint ep_01M8RPCTYR7YRHH9PV3WT5TRXP not found",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Conflicts with what exists (a name taken, a delivery being sent) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "conflict",
                         *         "message": "a topic named \"servers\" already exists (top_01M8RPCV5HDZJCC7FD6698B38X)",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The body is larger than the limit */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "payload_too_large",
                         *         "message": "request body is larger than the 16384 KiB limit",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The body is not application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unsupported_media_type",
                         *         "message": "unsupported content type \"text/plain\"; send application/json",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The request is understood but invalid: every problem is listed, each with the field it concerns */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "invalid",
                         *         "message": "2 problems in the request",
                         *         "details": [
                         *           {
                         *             "path": "/format",
                         *             "message": "must be one of strigo, cloudpods, standard",
                         *             "allowed": [
                         *               "strigo",
                         *               "cloudpods",
                         *               "standard"
                         *             ]
                         *           },
                         *           {
                         *             "path": "/url",
                         *             "message": "scheme ftp is not allowed (only http and https)"
                         *           }
                         *         ]
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/endpoints/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an endpoint */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The endpoint */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "id": "ep_01M8RPCTYR7YRHH9PV3WT5TRXP",
                         *       "name": "ops alerts",
                         *       "url": "https://hooks.example.com/herald",
                         *       "format": "standard",
                         *       "tenant": "default",
                         *       "enabled": true,
                         *       "disabled_reason": null,
                         *       "auth": null,
                         *       "has_secret": true,
                         *       "headers": {
                         *         "X-Team": "ops"
                         *       },
                         *       "body": {},
                         *       "msg_key": "Msg",
                         *       "lang": "en",
                         *       "use_template": false,
                         *       "template_mode": null,
                         *       "rate_limit": null,
                         *       "max_in_flight": null,
                         *       "callback": {
                         *         "url": "https://herald.example.com/v1/incoming",
                         *         "user": "cb_2kh7pmfBF6ul"
                         *       },
                         *       "failing_since": null,
                         *       "created_at": "2026-12-01T11:38:45.592Z",
                         *       "updated_at": "2026-12-01T11:38:45.592Z"
                         *     }
                         */
                        "application/json": {
                            id: string;
                            name: string;
                            url: string;
                            /** @enum {string} */
                            format: "strigo" | "cloudpods" | "standard";
                            tenant: string;
                            enabled: boolean;
                            /** @description why Herald or an operator disabled it */
                            disabled_reason: string | null;
                            /** @description the basic-auth user; the key is never shown */
                            auth: {
                                user: string;
                            } | null;
                            /** @description whether deliveries are signed; the secret is shown only when created or rotated */
                            has_secret: boolean;
                            /** @description extra headers sent with every delivery; values whose name says secret read `****` */
                            headers: {
                                [key: string]: string;
                            };
                            /** @description extra body keys (cloudpods), numbers as given */
                            body: {
                                [key: string]: unknown;
                            };
                            msg_key: string;
                            /** @enum {string} */
                            lang: "en" | "cn";
                            use_template: boolean;
                            /** @enum {string|null} */
                            template_mode: "cloudpods" | "go" | null;
                            /** @description deliveries per second at most */
                            rate_limit: number | null;
                            max_in_flight: number | null;
                            callback: {
                                /** @description where the receiver reports back (POST /v1/incoming) */
                                url: string;
                                user: string;
                                /** @description shown once: when the endpoint is created or the key rotated */
                                key?: string;
                            };
                            /**
                             * Format: date-time
                             * @description when deliveries started failing; null while they succeed
                             */
                            failing_since: string | null;
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            updated_at: string;
                        };
                    };
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Nothing has that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "not_found",
                         *         "message": "endpoint ep_01M8RPCTYR7YRHH9PV3WT5TRXP not found",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Delete an endpoint
         * @description Its subscriptions go with it; deliveries not yet sent are cancelled.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Nothing has that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "not_found",
                         *         "message": "endpoint ep_01M8RPCTYR7YRHH9PV3WT5TRXP not found",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Change an endpoint
         * @description Only the fields given change; `null` resets an optional setting.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name?: string;
                        url?: string;
                        auth?: {
                            user: string;
                            key: string;
                        } | null;
                        secret?: string | null;
                        headers?: {
                            [key: string]: string;
                        };
                        body?: {
                            [key: string]: unknown;
                        };
                        msg_key?: string;
                        /** @enum {string} */
                        lang?: "en" | "cn";
                        use_template?: boolean;
                        /** @enum {string|null} */
                        template_mode?: "cloudpods" | "go" | null;
                        /** @description deliveries carry a W3C traceparent header naming the attempt (when tracing is on); default false */
                        trace_context?: boolean;
                        validate?: boolean;
                        enabled?: boolean;
                        rate_limit?: number | null;
                        max_in_flight?: number | null;
                        /** @enum {string} */
                        ordering?: "none" | "entity" | "endpoint";
                    };
                };
            };
            responses: {
                /** @description The endpoint */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "id": "ep_01M8RPCTYR7YRHH9PV3WT5TRXP",
                         *       "name": "ops alerts",
                         *       "url": "https://hooks.example.com/herald",
                         *       "format": "standard",
                         *       "tenant": "default",
                         *       "enabled": true,
                         *       "disabled_reason": null,
                         *       "auth": null,
                         *       "has_secret": true,
                         *       "headers": {
                         *         "X-Team": "ops"
                         *       },
                         *       "body": {},
                         *       "msg_key": "Msg",
                         *       "lang": "en",
                         *       "use_template": false,
                         *       "template_mode": null,
                         *       "rate_limit": null,
                         *       "max_in_flight": null,
                         *       "callback": {
                         *         "url": "https://herald.example.com/v1/incoming",
                         *         "user": "cb_2kh7pmfBF6ul"
                         *       },
                         *       "failing_since": null,
                         *       "created_at": "2026-12-01T11:38:45.592Z",
                         *       "updated_at": "2026-12-01T11:38:45.592Z"
                         *     }
                         */
                        "application/json": {
                            id: string;
                            name: string;
                            url: string;
                            /** @enum {string} */
                            format: "strigo" | "cloudpods" | "standard";
                            tenant: string;
                            enabled: boolean;
                            /** @description why Herald or an operator disabled it */
                            disabled_reason: string | null;
                            /** @description the basic-auth user; the key is never shown */
                            auth: {
                                user: string;
                            } | null;
                            /** @description whether deliveries are signed; the secret is shown only when created or rotated */
                            has_secret: boolean;
                            /** @description extra headers sent with every delivery; values whose name says secret read `****` */
                            headers: {
                                [key: string]: string;
                            };
                            /** @description extra body keys (cloudpods), numbers as given */
                            body: {
                                [key: string]: unknown;
                            };
                            msg_key: string;
                            /** @enum {string} */
                            lang: "en" | "cn";
                            use_template: boolean;
                            /** @enum {string|null} */
                            template_mode: "cloudpods" | "go" | null;
                            /** @description deliveries per second at most */
                            rate_limit: number | null;
                            max_in_flight: number | null;
                            callback: {
                                /** @description where the receiver reports back (POST /v1/incoming) */
                                url: string;
                                user: string;
                                /** @description shown once: when the endpoint is created or the key rotated */
                                key?: string;
                            };
                            /**
                             * Format: date-time
                             * @description when deliveries started failing; null while they succeed
                             */
                            failing_since: string | null;
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            updated_at: string;
                        };
                    };
                };
                /** @description The body is not JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "malformed_json",
                         *         "message": "malformed JSON at position 17 (line 1, column 18): Unexpected token }",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Nothing has that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "not_found",
                         *         "message": "endpoint ep_01M8RPCTYR7YRHH9PV3WT5TRXP not found",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Conflicts with what exists (a name taken, a delivery being sent) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "conflict",
                         *         "message": "a topic named \"servers\" already exists (top_01M8RPCV5HDZJCC7FD6698B38X)",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The body is larger than the limit */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "payload_too_large",
                         *         "message": "request body is larger than the 16384 KiB limit",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The body is not application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unsupported_media_type",
                         *         "message": "unsupported content type \"text/plain\"; send application/json",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The request is understood but invalid: every problem is listed, each with the field it concerns */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "invalid",
                         *         "message": "2 problems in the request",
                         *         "details": [
                         *           {
                         *             "path": "/format",
                         *             "message": "must be one of strigo, cloudpods, standard",
                         *             "allowed": [
                         *               "strigo",
                         *               "cloudpods",
                         *               "standard"
                         *             ]
                         *           },
                         *           {
                         *             "path": "/url",
                         *             "message": "scheme ftp is not allowed (only http and https)"
                         *           }
                         *         ]
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/endpoints/{id}/enable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Enable an endpoint
         * @description Deliveries resume, and its failing state is cleared.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The endpoint */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "id": "ep_01M8RPCTYR7YRHH9PV3WT5TRXP",
                         *       "name": "ops alerts",
                         *       "url": "https://hooks.example.com/herald",
                         *       "format": "standard",
                         *       "tenant": "default",
                         *       "enabled": true,
                         *       "disabled_reason": null,
                         *       "auth": null,
                         *       "has_secret": true,
                         *       "headers": {
                         *         "X-Team": "ops"
                         *       },
                         *       "body": {},
                         *       "msg_key": "Msg",
                         *       "lang": "en",
                         *       "use_template": false,
                         *       "template_mode": null,
                         *       "rate_limit": null,
                         *       "max_in_flight": null,
                         *       "callback": {
                         *         "url": "https://herald.example.com/v1/incoming",
                         *         "user": "cb_2kh7pmfBF6ul"
                         *       },
                         *       "failing_since": null,
                         *       "created_at": "2026-12-01T11:38:45.592Z",
                         *       "updated_at": "2026-12-01T11:38:45.592Z"
                         *     }
                         */
                        "application/json": {
                            id: string;
                            name: string;
                            url: string;
                            /** @enum {string} */
                            format: "strigo" | "cloudpods" | "standard";
                            tenant: string;
                            enabled: boolean;
                            /** @description why Herald or an operator disabled it */
                            disabled_reason: string | null;
                            /** @description the basic-auth user; the key is never shown */
                            auth: {
                                user: string;
                            } | null;
                            /** @description whether deliveries are signed; the secret is shown only when created or rotated */
                            has_secret: boolean;
                            /** @description extra headers sent with every delivery; values whose name says secret read `****` */
                            headers: {
                                [key: string]: string;
                            };
                            /** @description extra body keys (cloudpods), numbers as given */
                            body: {
                                [key: string]: unknown;
                            };
                            msg_key: string;
                            /** @enum {string} */
                            lang: "en" | "cn";
                            use_template: boolean;
                            /** @enum {string|null} */
                            template_mode: "cloudpods" | "go" | null;
                            /** @description deliveries per second at most */
                            rate_limit: number | null;
                            max_in_flight: number | null;
                            callback: {
                                /** @description where the receiver reports back (POST /v1/incoming) */
                                url: string;
                                user: string;
                                /** @description shown once: when the endpoint is created or the key rotated */
                                key?: string;
                            };
                            /**
                             * Format: date-time
                             * @description when deliveries started failing; null while they succeed
                             */
                            failing_since: string | null;
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            updated_at: string;
                        };
                    };
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Nothing has that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "not_found",
                         *         "message": "endpoint ep_01M8RPCTYR7YRHH9PV3WT5TRXP not found",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/endpoints/{id}/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Disable an endpoint
         * @description Nothing is sent to it until it is enabled again.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The endpoint */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "id": "ep_01M8RPCTYR7YRHH9PV3WT5TRXP",
                         *       "name": "ops alerts",
                         *       "url": "https://hooks.example.com/herald",
                         *       "format": "standard",
                         *       "tenant": "default",
                         *       "enabled": true,
                         *       "disabled_reason": null,
                         *       "auth": null,
                         *       "has_secret": true,
                         *       "headers": {
                         *         "X-Team": "ops"
                         *       },
                         *       "body": {},
                         *       "msg_key": "Msg",
                         *       "lang": "en",
                         *       "use_template": false,
                         *       "template_mode": null,
                         *       "rate_limit": null,
                         *       "max_in_flight": null,
                         *       "callback": {
                         *         "url": "https://herald.example.com/v1/incoming",
                         *         "user": "cb_2kh7pmfBF6ul"
                         *       },
                         *       "failing_since": null,
                         *       "created_at": "2026-12-01T11:38:45.592Z",
                         *       "updated_at": "2026-12-01T11:38:45.592Z"
                         *     }
                         */
                        "application/json": {
                            id: string;
                            name: string;
                            url: string;
                            /** @enum {string} */
                            format: "strigo" | "cloudpods" | "standard";
                            tenant: string;
                            enabled: boolean;
                            /** @description why Herald or an operator disabled it */
                            disabled_reason: string | null;
                            /** @description the basic-auth user; the key is never shown */
                            auth: {
                                user: string;
                            } | null;
                            /** @description whether deliveries are signed; the secret is shown only when created or rotated */
                            has_secret: boolean;
                            /** @description extra headers sent with every delivery; values whose name says secret read `****` */
                            headers: {
                                [key: string]: string;
                            };
                            /** @description extra body keys (cloudpods), numbers as given */
                            body: {
                                [key: string]: unknown;
                            };
                            msg_key: string;
                            /** @enum {string} */
                            lang: "en" | "cn";
                            use_template: boolean;
                            /** @enum {string|null} */
                            template_mode: "cloudpods" | "go" | null;
                            /** @description deliveries per second at most */
                            rate_limit: number | null;
                            max_in_flight: number | null;
                            callback: {
                                /** @description where the receiver reports back (POST /v1/incoming) */
                                url: string;
                                user: string;
                                /** @description shown once: when the endpoint is created or the key rotated */
                                key?: string;
                            };
                            /**
                             * Format: date-time
                             * @description when deliveries started failing; null while they succeed
                             */
                            failing_since: string | null;
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            updated_at: string;
                        };
                    };
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Nothing has that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "not_found",
                         *         "message": "endpoint ep_01M8RPCTYR7YRHH9PV3WT5TRXP not found",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/endpoints/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate the signing secret
         * @description Without a body a new secret is generated. The old secret keeps signing beside the new one for 24 hours, so receivers can switch over.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        secret?: string;
                    };
                };
            };
            responses: {
                /** @description The new signing secret, shown this once */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "secret": "whsec_boDkxvWmjRAlE/tTZY4aAyvp5v2TO0uIeBc6uvMFHiY=",
                         *       "previous_secret_expires_at": "2026-12-02T11:38:55.495Z"
                         *     }
                         */
                        "application/json": {
                            secret: string;
                            /**
                             * Format: date-time
                             * @description until then deliveries carry a signature by the old secret too
                             */
                            previous_secret_expires_at: string | null;
                        };
                    };
                };
                /** @description The body is not JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "malformed_json",
                         *         "message": "malformed JSON at position 17 (line 1, column 18): Unexpected token }",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Nothing has that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "not_found",
                         *         "message": "endpoint ep_01M8RPCTYR7YRHH9PV3WT5TRXP not found",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Conflicts with what exists (a name taken, a delivery being sent) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "conflict",
                         *         "message": "a topic named \"servers\" already exists (top_01M8RPCV5HDZJCC7FD6698B38X)",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The body is larger than the limit */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "payload_too_large",
                         *         "message": "request body is larger than the 16384 KiB limit",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The body is not application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unsupported_media_type",
                         *         "message": "unsupported content type \"text/plain\"; send application/json",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The request is understood but invalid: every problem is listed, each with the field it concerns */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "invalid",
                         *         "message": "2 problems in the request",
                         *         "details": [
                         *           {
                         *             "path": "/format",
                         *             "message": "must be one of strigo, cloudpods, standard",
                         *             "allowed": [
                         *               "strigo",
                         *               "cloudpods",
                         *               "standard"
                         *             ]
                         *           },
                         *           {
                         *             "path": "/url",
                         *             "message": "scheme ftp is not allowed (only http and https)"
                         *           }
                         *         ]
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/endpoints/{id}/rotate-callback-key": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate the callback key
         * @description The key a receiver uses to report back (POST /v1/incoming).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The new callback credentials; the old key stops working at once */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "url": "https://herald.example.com/v1/incoming",
                         *       "user": "cb_pVeIaTYaVbV7",
                         *       "key": "GH1TOs0xNqi5XvvwBQMPb_rUW8zsCtGs"
                         *     }
                         */
                        "application/json": {
                            url: string;
                            user: string;
                            key: string;
                        };
                    };
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Nothing has that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "not_found",
                         *         "message": "endpoint ep_01M8RPCTYR7YRHH9PV3WT5TRXP not found",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/endpoints/{id}/recover": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Queue an endpoint's failed deliveries again
         * @description For a receiver that is back: every failed delivery created since `since` is sent again, or, with `message_ids`, whatever of those messages has not arrived (failed, skipped or retrying). Give exactly one of the two.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description an ISO-8601 time such as `2026-01-31T12:00:00Z` or an age such as `30m`, `2h` or `7d`: failed deliveries created since then */
                        since?: string;
                        /** @description these messages: whatever of them has not arrived at this endpoint */
                        message_ids?: string[];
                    };
                };
            };
            responses: {
                /** @description How many failed deliveries were queued again */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "requeued": 12
                         *     }
                         */
                        "application/json": {
                            requeued: number;
                        };
                    };
                };
                /** @description The body is not JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "malformed_json",
                         *         "message": "malformed JSON at position 17 (line 1, column 18): Unexpected token }",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Nothing has that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "not_found",
                         *         "message": "endpoint ep_01M8RPCTYR7YRHH9PV3WT5TRXP not found",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Conflicts with what exists (a name taken, a delivery being sent) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "conflict",
                         *         "message": "a topic named \"servers\" already exists (top_01M8RPCV5HDZJCC7FD6698B38X)",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The body is larger than the limit */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "payload_too_large",
                         *         "message": "request body is larger than the 16384 KiB limit",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The body is not application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unsupported_media_type",
                         *         "message": "unsupported content type \"text/plain\"; send application/json",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The request is understood but invalid: every problem is listed, each with the field it concerns */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "invalid",
                         *         "message": "2 problems in the request",
                         *         "details": [
                         *           {
                         *             "path": "/format",
                         *             "message": "must be one of strigo, cloudpods, standard",
                         *             "allowed": [
                         *               "strigo",
                         *               "cloudpods",
                         *               "standard"
                         *             ]
                         *           },
                         *           {
                         *             "path": "/url",
                         *             "message": "scheme ftp is not allowed (only http and https)"
                         *           }
                         *         ]
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/subscriptions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List subscriptions */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                    endpoint_id?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of subscriptions */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "data": [
                         *         {
                         *           "id": "sub_01M8RPCV1MRNK46HGNZQA9Z5AN",
                         *           "endpoint_id": "ep_01M8RPCTYR7YRHH9PV3WT5TRXP",
                         *           "events": [
                         *             "SERVER/*"
                         *           ],
                         *           "topics": [],
                         *           "scope": {
                         *             "resource_scope": "system",
                         *             "attribution_id": null
                         *           },
                         *           "enabled": true,
                         *           "filter": {
                         *             "data.plan": {
                         *               "$in": [
                         *                 "pro",
                         *                 "team"
                         *               ]
                         *             }
                         *           },
                         *           "created_at": "2026-12-01T11:38:45.684Z",
                         *           "updated_at": "2026-12-01T11:38:45.684Z"
                         *         }
                         *       ],
                         *       "next_cursor": "sub_01M8RPCV1MRNK46HGNZQA9Z5AN"
                         *     }
                         */
                        "application/json": {
                            data: {
                                id: string;
                                endpoint_id: string;
                                /** @description event patterns such as `SERVER/*` */
                                events: string[];
                                /** @description topic ids */
                                topics: string[];
                                scope: {
                                    /** @enum {string} */
                                    resource_scope: "system" | "domain" | "project";
                                    attribution_id: string | null;
                                };
                                enabled: boolean;
                                /** @description only events matching it are delivered; numbers as written */
                                filter: {
                                    [key: string]: unknown;
                                } | null;
                                /** Format: date-time */
                                created_at: string;
                                /** Format: date-time */
                                updated_at: string;
                            }[];
                            /** @description pass as `cursor` for the next page; null on the last page */
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The request is understood but invalid: every problem is listed, each with the field it concerns */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "invalid",
                         *         "message": "2 problems in the request",
                         *         "details": [
                         *           {
                         *             "path": "/format",
                         *             "message": "must be one of strigo, cloudpods, standard",
                         *             "allowed": [
                         *               "strigo",
                         *               "cloudpods",
                         *               "standard"
                         *             ]
                         *           },
                         *           {
                         *             "path": "/url",
                         *             "message": "scheme ftp is not allowed (only http and https)"
                         *           }
                         *         ]
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /**
         * Subscribe an endpoint to events
         * @description By event patterns (`SERVER/*`, `ONDEMAND_ENROLLMENT/CREATED`), by topics, or both; `scope` narrows it to a domain or project.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        endpoint_id: string;
                        events?: string[];
                        topics?: string[];
                        scope?: {
                            /** @enum {string} */
                            resource_scope: "system" | "domain" | "project";
                            attribution_id?: string | null;
                        };
                        enabled?: boolean;
                        /** @description Deliver only events that match: field paths (data, type, action, result, tenant, entity_ids, scope; into data as data.a.b) with a plain value ($eq) or operators $eq $neq $gt $gte $lt $lte $in $nin $exist $startsWith $endsWith, combined with $and $or $not. At most 8 levels, 4096 bytes, 256 JSON values. */
                        filter?: {
                            [key: string]: unknown;
                        } | null;
                    };
                };
            };
            responses: {
                /** @description The subscription */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "id": "sub_01M8RPCV1MRNK46HGNZQA9Z5AN",
                         *       "endpoint_id": "ep_01M8RPCTYR7YRHH9PV3WT5TRXP",
                         *       "events": [
                         *         "SERVER/*"
                         *       ],
                         *       "topics": [],
                         *       "scope": {
                         *         "resource_scope": "system",
                         *         "attribution_id": null
                         *       },
                         *       "enabled": true,
                         *       "filter": {
                         *         "data.plan": {
                         *           "$in": [
                         *             "pro",
                         *             "team"
                         *           ]
                         *         }
                         *       },
                         *       "created_at": "2026-12-01T11:38:45.684Z",
                         *       "updated_at": "2026-12-01T11:38:45.684Z"
                         *     }
                         */
                        "application/json": {
                            id: string;
                            endpoint_id: string;
                            /** @description event patterns such as `SERVER/*` */
                            events: string[];
                            /** @description topic ids */
                            topics: string[];
                            scope: {
                                /** @enum {string} */
                                resource_scope: "system" | "domain" | "project";
                                attribution_id: string | null;
                            };
                            enabled: boolean;
                            /** @description only events matching it are delivered; numbers as written */
                            filter: {
                                [key: string]: unknown;
                            } | null;
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            updated_at: string;
                        };
                    };
                };
                /** @description The body is not JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "malformed_json",
                         *         "message": "malformed JSON at position 17 (line 1, column 18): Unexpected token }",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Nothing has that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "not_found",
                         *         "message": "endpoint ep_01M8RPCTYR7YRHH9PV3WT5TRXP not found",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Conflicts with what exists (a name taken, a delivery being sent) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "conflict",
                         *         "message": "a topic named \"servers\" already exists (top_01M8RPCV5HDZJCC7FD6698B38X)",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The body is larger than the limit */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "payload_too_large",
                         *         "message": "request body is larger than the 16384 KiB limit",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The body is not application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unsupported_media_type",
                         *         "message": "unsupported content type \"text/plain\"; send application/json",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The request is understood but invalid: every problem is listed, each with the field it concerns */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "invalid",
                         *         "message": "2 problems in the request",
                         *         "details": [
                         *           {
                         *             "path": "/format",
                         *             "message": "must be one of strigo, cloudpods, standard",
                         *             "allowed": [
                         *               "strigo",
                         *               "cloudpods",
                         *               "standard"
                         *             ]
                         *           },
                         *           {
                         *             "path": "/url",
                         *             "message": "scheme ftp is not allowed (only http and https)"
                         *           }
                         *         ]
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/subscriptions/filter-test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Try a filter on a sample event
         * @description Tries a filter on a sample event without saving anything: `matches` (null when there are problems) and the problems, each with its path.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Deliver only events that match: field paths (data, type, action, result, tenant, entity_ids, scope; into data as data.a.b) with a plain value ($eq) or operators $eq $neq $gt $gte $lt $lte $in $nin $exist $startsWith $endsWith, combined with $and $or $not. At most 8 levels, 4096 bytes, 256 JSON values. */
                        filter: {
                            [key: string]: unknown;
                        };
                        event: {
                            type: string;
                            action: string;
                            result?: string;
                            entity_ids?: string[];
                            data?: {
                                [key: string]: unknown;
                            };
                            tenant?: string;
                            scope?: {
                                domain_id?: string;
                                project_id?: string;
                            };
                            idempotency_key?: string;
                            coalesce_ms?: number;
                            ordering_key?: string;
                        };
                    };
                };
            };
            responses: {
                /** @description Whether the sample event passes the filter */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "matches": true,
                         *       "problems": []
                         *     }
                         */
                        "application/json": {
                            /** @description null when the filter has problems */
                            matches: boolean | null;
                            problems: {
                                path: string;
                                message: string;
                                allowed?: string[];
                            }[];
                        };
                    };
                };
                /** @description The body is not JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "malformed_json",
                         *         "message": "malformed JSON at position 17 (line 1, column 18): Unexpected token }",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Nothing has that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "not_found",
                         *         "message": "endpoint ep_01M8RPCTYR7YRHH9PV3WT5TRXP not found",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Conflicts with what exists (a name taken, a delivery being sent) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "conflict",
                         *         "message": "a topic named \"servers\" already exists (top_01M8RPCV5HDZJCC7FD6698B38X)",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The body is larger than the limit */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "payload_too_large",
                         *         "message": "request body is larger than the 16384 KiB limit",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The body is not application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unsupported_media_type",
                         *         "message": "unsupported content type \"text/plain\"; send application/json",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The request is understood but invalid: every problem is listed, each with the field it concerns */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "invalid",
                         *         "message": "2 problems in the request",
                         *         "details": [
                         *           {
                         *             "path": "/format",
                         *             "message": "must be one of strigo, cloudpods, standard",
                         *             "allowed": [
                         *               "strigo",
                         *               "cloudpods",
                         *               "standard"
                         *             ]
                         *           },
                         *           {
                         *             "path": "/url",
                         *             "message": "scheme ftp is not allowed (only http and https)"
                         *           }
                         *         ]
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/subscriptions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a subscription */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The subscription */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "id": "sub_01M8RPCV1MRNK46HGNZQA9Z5AN",
                         *       "endpoint_id": "ep_01M8RPCTYR7YRHH9PV3WT5TRXP",
                         *       "events": [
                         *         "SERVER/*"
                         *       ],
                         *       "topics": [],
                         *       "scope": {
                         *         "resource_scope": "system",
                         *         "attribution_id": null
                         *       },
                         *       "enabled": true,
                         *       "filter": {
                         *         "data.plan": {
                         *           "$in": [
                         *             "pro",
                         *             "team"
                         *           ]
                         *         }
                         *       },
                         *       "created_at": "2026-12-01T11:38:45.684Z",
                         *       "updated_at": "2026-12-01T11:38:45.684Z"
                         *     }
                         */
                        "application/json": {
                            id: string;
                            endpoint_id: string;
                            /** @description event patterns such as `SERVER/*` */
                            events: string[];
                            /** @description topic ids */
                            topics: string[];
                            scope: {
                                /** @enum {string} */
                                resource_scope: "system" | "domain" | "project";
                                attribution_id: string | null;
                            };
                            enabled: boolean;
                            /** @description only events matching it are delivered; numbers as written */
                            filter: {
                                [key: string]: unknown;
                            } | null;
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            updated_at: string;
                        };
                    };
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Nothing has that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "not_found",
                         *         "message": "endpoint ep_01M8RPCTYR7YRHH9PV3WT5TRXP not found",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a subscription */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Nothing has that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "not_found",
                         *         "message": "endpoint ep_01M8RPCTYR7YRHH9PV3WT5TRXP not found",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Change a subscription
         * @description Only the fields given change.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        events?: string[];
                        topics?: string[];
                        scope?: {
                            /** @enum {string} */
                            resource_scope: "system" | "domain" | "project";
                            attribution_id?: string | null;
                        };
                        enabled?: boolean;
                        /** @description Deliver only events that match: field paths (data, type, action, result, tenant, entity_ids, scope; into data as data.a.b) with a plain value ($eq) or operators $eq $neq $gt $gte $lt $lte $in $nin $exist $startsWith $endsWith, combined with $and $or $not. At most 8 levels, 4096 bytes, 256 JSON values. */
                        filter?: {
                            [key: string]: unknown;
                        } | null;
                    };
                };
            };
            responses: {
                /** @description The subscription */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "id": "sub_01M8RPCV1MRNK46HGNZQA9Z5AN",
                         *       "endpoint_id": "ep_01M8RPCTYR7YRHH9PV3WT5TRXP",
                         *       "events": [
                         *         "SERVER/*"
                         *       ],
                         *       "topics": [],
                         *       "scope": {
                         *         "resource_scope": "system",
                         *         "attribution_id": null
                         *       },
                         *       "enabled": true,
                         *       "filter": {
                         *         "data.plan": {
                         *           "$in": [
                         *             "pro",
                         *             "team"
                         *           ]
                         *         }
                         *       },
                         *       "created_at": "2026-12-01T11:38:45.684Z",
                         *       "updated_at": "2026-12-01T11:38:45.684Z"
                         *     }
                         */
                        "application/json": {
                            id: string;
                            endpoint_id: string;
                            /** @description event patterns such as `SERVER/*` */
                            events: string[];
                            /** @description topic ids */
                            topics: string[];
                            scope: {
                                /** @enum {string} */
                                resource_scope: "system" | "domain" | "project";
                                attribution_id: string | null;
                            };
                            enabled: boolean;
                            /** @description only events matching it are delivered; numbers as written */
                            filter: {
                                [key: string]: unknown;
                            } | null;
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            updated_at: string;
                        };
                    };
                };
                /** @description The body is not JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "malformed_json",
                         *         "message": "malformed JSON at position 17 (line 1, column 18): Unexpected token }",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Nothing has that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "not_found",
                         *         "message": "endpoint ep_01M8RPCTYR7YRHH9PV3WT5TRXP not found",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Conflicts with what exists (a name taken, a delivery being sent) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "conflict",
                         *         "message": "a topic named \"servers\" already exists (top_01M8RPCV5HDZJCC7FD6698B38X)",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The body is larger than the limit */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "payload_too_large",
                         *         "message": "request body is larger than the 16384 KiB limit",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The body is not application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unsupported_media_type",
                         *         "message": "unsupported content type \"text/plain\"; send application/json",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The request is understood but invalid: every problem is listed, each with the field it concerns */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "invalid",
                         *         "message": "2 problems in the request",
                         *         "details": [
                         *           {
                         *             "path": "/format",
                         *             "message": "must be one of strigo, cloudpods, standard",
                         *             "allowed": [
                         *               "strigo",
                         *               "cloudpods",
                         *               "standard"
                         *             ]
                         *           },
                         *           {
                         *             "path": "/url",
                         *             "message": "scheme ftp is not allowed (only http and https)"
                         *           }
                         *         ]
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/topics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List topics
         * @description Topics group events under a name and hold the title and content templates cloudpods endpoints render.
         */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of topics */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "data": [
                         *         {
                         *           "id": "top_01M8RPCV5HDZJCC7FD6698B38X",
                         *           "name": "servers",
                         *           "events": [
                         *             "SERVER/CREATE"
                         *           ],
                         *           "title_en": "Server {{.name}} created",
                         *           "title_cn": null,
                         *           "content_en": "Server {{.name}} is up.",
                         *           "content_cn": null,
                         *           "template_mode": null,
                         *           "enabled": true,
                         *           "created_at": "2026-12-01T11:38:45.809Z",
                         *           "updated_at": "2026-12-01T11:38:45.809Z"
                         *         }
                         *       ],
                         *       "next_cursor": "top_01M8RPCV5HDZJCC7FD6698B38X"
                         *     }
                         */
                        "application/json": {
                            data: {
                                id: string;
                                name: string;
                                events: string[];
                                title_en: string | null;
                                title_cn: string | null;
                                content_en: string | null;
                                content_cn: string | null;
                                /** @enum {string|null} */
                                template_mode: "cloudpods" | "go" | null;
                                enabled: boolean;
                                /** Format: date-time */
                                created_at: string;
                                /** Format: date-time */
                                updated_at: string;
                            }[];
                            /** @description pass as `cursor` for the next page; null on the last page */
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The request is understood but invalid: every problem is listed, each with the field it concerns */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "invalid",
                         *         "message": "2 problems in the request",
                         *         "details": [
                         *           {
                         *             "path": "/format",
                         *             "message": "must be one of strigo, cloudpods, standard",
                         *             "allowed": [
                         *               "strigo",
                         *               "cloudpods",
                         *               "standard"
                         *             ]
                         *           },
                         *           {
                         *             "path": "/url",
                         *             "message": "scheme ftp is not allowed (only http and https)"
                         *           }
                         *         ]
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /**
         * Create a topic
         * @description Templates are checked when saved; a name already taken is a 409.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        events: string[];
                        title_en?: string | null;
                        title_cn?: string | null;
                        content_en?: string | null;
                        content_cn?: string | null;
                        /** @enum {string|null} */
                        template_mode?: "cloudpods" | "go" | null;
                        enabled?: boolean;
                    };
                };
            };
            responses: {
                /** @description The topic */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "id": "top_01M8RPCV5HDZJCC7FD6698B38X",
                         *       "name": "servers",
                         *       "events": [
                         *         "SERVER/CREATE"
                         *       ],
                         *       "title_en": "Server {{.name}} created",
                         *       "title_cn": null,
                         *       "content_en": "Server {{.name}} is up.",
                         *       "content_cn": null,
                         *       "template_mode": null,
                         *       "enabled": true,
                         *       "created_at": "2026-12-01T11:38:45.809Z",
                         *       "updated_at": "2026-12-01T11:38:45.809Z"
                         *     }
                         */
                        "application/json": {
                            id: string;
                            name: string;
                            events: string[];
                            title_en: string | null;
                            title_cn: string | null;
                            content_en: string | null;
                            content_cn: string | null;
                            /** @enum {string|null} */
                            template_mode: "cloudpods" | "go" | null;
                            enabled: boolean;
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            updated_at: string;
                        };
                    };
                };
                /** @description The body is not JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "malformed_json",
                         *         "message": "malformed JSON at position 17 (line 1, column 18): Unexpected token }",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Nothing has that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "not_found",
                         *         "message": "endpoint ep_01M8RPCTYR7YRHH9PV3WT5TRXP not found",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Conflicts with what exists (a name taken, a delivery being sent) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "conflict",
                         *         "message": "a topic named \"servers\" already exists (top_01M8RPCV5HDZJCC7FD6698B38X)",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The body is larger than the limit */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "payload_too_large",
                         *         "message": "request body is larger than the 16384 KiB limit",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The body is not application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unsupported_media_type",
                         *         "message": "unsupported content type \"text/plain\"; send application/json",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The request is understood but invalid: every problem is listed, each with the field it concerns */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "invalid",
                         *         "message": "2 problems in the request",
                         *         "details": [
                         *           {
                         *             "path": "/format",
                         *             "message": "must be one of strigo, cloudpods, standard",
                         *             "allowed": [
                         *               "strigo",
                         *               "cloudpods",
                         *               "standard"
                         *             ]
                         *           },
                         *           {
                         *             "path": "/url",
                         *             "message": "scheme ftp is not allowed (only http and https)"
                         *           }
                         *         ]
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/topics/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a topic */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The topic */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "id": "top_01M8RPCV5HDZJCC7FD6698B38X",
                         *       "name": "servers",
                         *       "events": [
                         *         "SERVER/CREATE"
                         *       ],
                         *       "title_en": "Server {{.name}} created",
                         *       "title_cn": null,
                         *       "content_en": "Server {{.name}} is up.",
                         *       "content_cn": null,
                         *       "template_mode": null,
                         *       "enabled": true,
                         *       "created_at": "2026-12-01T11:38:45.809Z",
                         *       "updated_at": "2026-12-01T11:38:45.809Z"
                         *     }
                         */
                        "application/json": {
                            id: string;
                            name: string;
                            events: string[];
                            title_en: string | null;
                            title_cn: string | null;
                            content_en: string | null;
                            content_cn: string | null;
                            /** @enum {string|null} */
                            template_mode: "cloudpods" | "go" | null;
                            enabled: boolean;
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            updated_at: string;
                        };
                    };
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Nothing has that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "not_found",
                         *         "message": "endpoint ep_01M8RPCTYR7YRHH9PV3WT5TRXP not found",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change a topic
         * @description Only the fields given change; `null` removes a template.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name?: string;
                        events?: string[];
                        title_en?: string | null;
                        title_cn?: string | null;
                        content_en?: string | null;
                        content_cn?: string | null;
                        /** @enum {string|null} */
                        template_mode?: "cloudpods" | "go" | null;
                        enabled?: boolean;
                    };
                };
            };
            responses: {
                /** @description The topic */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "id": "top_01M8RPCV5HDZJCC7FD6698B38X",
                         *       "name": "servers",
                         *       "events": [
                         *         "SERVER/CREATE"
                         *       ],
                         *       "title_en": "Server {{.name}} created",
                         *       "title_cn": null,
                         *       "content_en": "Server {{.name}} is up.",
                         *       "content_cn": null,
                         *       "template_mode": null,
                         *       "enabled": true,
                         *       "created_at": "2026-12-01T11:38:45.809Z",
                         *       "updated_at": "2026-12-01T11:38:45.809Z"
                         *     }
                         */
                        "application/json": {
                            id: string;
                            name: string;
                            events: string[];
                            title_en: string | null;
                            title_cn: string | null;
                            content_en: string | null;
                            content_cn: string | null;
                            /** @enum {string|null} */
                            template_mode: "cloudpods" | "go" | null;
                            enabled: boolean;
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            updated_at: string;
                        };
                    };
                };
                /** @description The body is not JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "malformed_json",
                         *         "message": "malformed JSON at position 17 (line 1, column 18): Unexpected token }",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Nothing has that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "not_found",
                         *         "message": "endpoint ep_01M8RPCTYR7YRHH9PV3WT5TRXP not found",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Conflicts with what exists (a name taken, a delivery being sent) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "conflict",
                         *         "message": "a topic named \"servers\" already exists (top_01M8RPCV5HDZJCC7FD6698B38X)",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The body is larger than the limit */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "payload_too_large",
                         *         "message": "request body is larger than the 16384 KiB limit",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The body is not application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unsupported_media_type",
                         *         "message": "unsupported content type \"text/plain\"; send application/json",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The request is understood but invalid: every problem is listed, each with the field it concerns */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "invalid",
                         *         "message": "2 problems in the request",
                         *         "details": [
                         *           {
                         *             "path": "/format",
                         *             "message": "must be one of strigo, cloudpods, standard",
                         *             "allowed": [
                         *               "strigo",
                         *               "cloudpods",
                         *               "standard"
                         *             ]
                         *           },
                         *           {
                         *             "path": "/url",
                         *             "message": "scheme ftp is not allowed (only http and https)"
                         *           }
                         *         ]
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/topics/{id}/enable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Enable a topic */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The topic */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "id": "top_01M8RPCV5HDZJCC7FD6698B38X",
                         *       "name": "servers",
                         *       "events": [
                         *         "SERVER/CREATE"
                         *       ],
                         *       "title_en": "Server {{.name}} created",
                         *       "title_cn": null,
                         *       "content_en": "Server {{.name}} is up.",
                         *       "content_cn": null,
                         *       "template_mode": null,
                         *       "enabled": true,
                         *       "created_at": "2026-12-01T11:38:45.809Z",
                         *       "updated_at": "2026-12-01T11:38:45.809Z"
                         *     }
                         */
                        "application/json": {
                            id: string;
                            name: string;
                            events: string[];
                            title_en: string | null;
                            title_cn: string | null;
                            content_en: string | null;
                            content_cn: string | null;
                            /** @enum {string|null} */
                            template_mode: "cloudpods" | "go" | null;
                            enabled: boolean;
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            updated_at: string;
                        };
                    };
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Nothing has that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "not_found",
                         *         "message": "endpoint ep_01M8RPCTYR7YRHH9PV3WT5TRXP not found",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/topics/{id}/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Disable a topic
         * @description Its subscriptions receive nothing through it until it is enabled again.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The topic */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "id": "top_01M8RPCV5HDZJCC7FD6698B38X",
                         *       "name": "servers",
                         *       "events": [
                         *         "SERVER/CREATE"
                         *       ],
                         *       "title_en": "Server {{.name}} created",
                         *       "title_cn": null,
                         *       "content_en": "Server {{.name}} is up.",
                         *       "content_cn": null,
                         *       "template_mode": null,
                         *       "enabled": true,
                         *       "created_at": "2026-12-01T11:38:45.809Z",
                         *       "updated_at": "2026-12-01T11:38:45.809Z"
                         *     }
                         */
                        "application/json": {
                            id: string;
                            name: string;
                            events: string[];
                            title_en: string | null;
                            title_cn: string | null;
                            content_en: string | null;
                            content_cn: string | null;
                            /** @enum {string|null} */
                            template_mode: "cloudpods" | "go" | null;
                            enabled: boolean;
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            updated_at: string;
                        };
                    };
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Nothing has that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "not_found",
                         *         "message": "endpoint ep_01M8RPCTYR7YRHH9PV3WT5TRXP not found",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/topics/{id}/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Render a topic's templates for a sample event
         * @description Nothing is sent. Without `event` a sample event of the topic is used; `templates` tries templates before saving them.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        lang?: "en" | "cn";
                        /** @enum {string|null} */
                        template_mode?: "cloudpods" | "go" | null;
                        event?: {
                            type: string;
                            action: string;
                            /** @enum {string} */
                            result?: "succeed" | "failed";
                            data?: {
                                [key: string]: unknown;
                            };
                        };
                        templates?: {
                            title_en?: string | null;
                            title_cn?: string | null;
                            content_en?: string | null;
                            content_cn?: string | null;
                        };
                    };
                };
            };
            responses: {
                /** @description The topic's title and content rendered for the sample event */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "lang": "en",
                         *       "template_mode": "cloudpods",
                         *       "title": "Server web-1 created",
                         *       "content": "Server web-1 is up."
                         *     }
                         */
                        "application/json": {
                            /** @enum {string} */
                            lang: "en" | "cn";
                            /** @enum {string} */
                            template_mode: "cloudpods" | "go";
                            title: string;
                            content: string;
                        };
                    };
                };
                /** @description The body is not JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "malformed_json",
                         *         "message": "malformed JSON at position 17 (line 1, column 18): Unexpected token }",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Nothing has that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "not_found",
                         *         "message": "endpoint ep_01M8RPCTYR7YRHH9PV3WT5TRXP not found",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Conflicts with what exists (a name taken, a delivery being sent) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "conflict",
                         *         "message": "a topic named \"servers\" already exists (top_01M8RPCV5HDZJCC7FD6698B38X)",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The body is larger than the limit */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "payload_too_large",
                         *         "message": "request body is larger than the 16384 KiB limit",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The body is not application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unsupported_media_type",
                         *         "message": "unsupported content type \"text/plain\"; send application/json",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The request is understood but invalid: every problem is listed, each with the field it concerns */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "invalid",
                         *         "message": "2 problems in the request",
                         *         "details": [
                         *           {
                         *             "path": "/format",
                         *             "message": "must be one of strigo, cloudpods, standard",
                         *             "allowed": [
                         *               "strigo",
                         *               "cloudpods",
                         *               "standard"
                         *             ]
                         *           },
                         *           {
                         *             "path": "/url",
                         *             "message": "scheme ftp is not allowed (only http and https)"
                         *           }
                         *         ]
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Publish an event, or a batch of up to 1,000
         * @description The event is stored before the answer and delivered to every matching subscription, retried on failure. `idempotency_key` makes a repeat answer with the first message. Limits: the `data` of each event up to `HERALD_MAX_EVENT_BYTES` (256 KiB by default) and the whole body up to `HERALD_MAX_BODY_BYTES` (8 MiB by default); over either is a 413 naming the limit.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        events: {
                            type: string;
                            action: string;
                            result?: string;
                            entity_ids?: string[];
                            data?: {
                                [key: string]: unknown;
                            };
                            tenant?: string;
                            scope?: {
                                domain_id?: string;
                                project_id?: string;
                            };
                            idempotency_key?: string;
                            coalesce_ms?: number;
                            ordering_key?: string;
                        }[];
                    } | {
                        type: string;
                        action: string;
                        result?: string;
                        entity_ids?: string[];
                        data?: {
                            [key: string]: unknown;
                        };
                        tenant?: string;
                        scope?: {
                            domain_id?: string;
                            project_id?: string;
                        };
                        idempotency_key?: string;
                        coalesce_ms?: number;
                        ordering_key?: string;
                    };
                };
            };
            responses: {
                /** @description Accepted and stored: the deliveries are queued. A batch is answered with `data`, one entry per event */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "id": "msg_01M8RPD4BR8T4RP5MNF622HC9Z",
                         *       "deliveries": 2
                         *     }
                         */
                        "application/json": {
                            /** @description the message id */
                            id: string;
                            /** @description deliveries queued for it */
                            deliveries: number;
                        } | {
                            /** @description one per event, in order */
                            data: {
                                /** @description the message id */
                                id: string;
                                /** @description deliveries queued for it */
                                deliveries: number;
                            }[];
                        };
                    };
                };
                /** @description The body is not JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "malformed_json",
                         *         "message": "malformed JSON at position 17 (line 1, column 18): Unexpected token }",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Nothing has that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "not_found",
                         *         "message": "endpoint ep_01M8RPCTYR7YRHH9PV3WT5TRXP not found",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Conflicts with what exists (a name taken, a delivery being sent) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "conflict",
                         *         "message": "a topic named \"servers\" already exists (top_01M8RPCV5HDZJCC7FD6698B38X)",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The body is larger than the limit */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "payload_too_large",
                         *         "message": "request body is larger than the 16384 KiB limit",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The body is not application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unsupported_media_type",
                         *         "message": "unsupported content type \"text/plain\"; send application/json",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The request is understood but invalid: every problem is listed, each with the field it concerns */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "invalid",
                         *         "message": "2 problems in the request",
                         *         "details": [
                         *           {
                         *             "path": "/format",
                         *             "message": "must be one of strigo, cloudpods, standard",
                         *             "allowed": [
                         *               "strigo",
                         *               "cloudpods",
                         *               "standard"
                         *             ]
                         *           },
                         *           {
                         *             "path": "/url",
                         *             "message": "scheme ftp is not allowed (only http and https)"
                         *           }
                         *         ]
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/event-types": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the event types Herald knows
         * @description The built-in strigo and cloudpods catalogs and the custom types added here; publishing an unknown type is a 422.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Every event type Herald knows, built in and custom */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "data": [
                         *         {
                         *           "type": "BACKUP",
                         *           "catalog": "custom",
                         *           "actions": [
                         *             "START",
                         *             "FINISH"
                         *           ],
                         *           "results": [
                         *             "succeed",
                         *             "failed"
                         *           ],
                         *           "schema": null
                         *         }
                         *       ],
                         *       "next_cursor": null
                         *     }
                         */
                        "application/json": {
                            data: {
                                type: string;
                                /** @description `strigo`, `cloudpods` or `custom` */
                                catalog: string;
                                actions: string[];
                                results: string[];
                                /** @description a JSON Schema that events' `data` must match */
                                schema: {
                                    [key: string]: unknown;
                                } | null;
                            }[];
                            /** @description pass as `cursor` for the next page; null on the last page */
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /**
         * Add a custom event type
         * @description With its actions and, optionally, a JSON Schema its events' `data` must match. A type that exists is a 409.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        type: string;
                        actions: string[];
                        schema?: {
                            [key: string]: unknown;
                        } | null;
                    };
                };
            };
            responses: {
                /** @description Added to the catalog */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "type": "BACKUP",
                         *       "catalog": "custom",
                         *       "actions": [
                         *         "START",
                         *         "FINISH"
                         *       ],
                         *       "results": [
                         *         "succeed",
                         *         "failed"
                         *       ],
                         *       "schema": null
                         *     }
                         */
                        "application/json": {
                            type: string;
                            /** @description `strigo`, `cloudpods` or `custom` */
                            catalog: string;
                            actions: string[];
                            results: string[];
                            /** @description a JSON Schema that events' `data` must match */
                            schema: {
                                [key: string]: unknown;
                            } | null;
                        };
                    };
                };
                /** @description The body is not JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "malformed_json",
                         *         "message": "malformed JSON at position 17 (line 1, column 18): Unexpected token }",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Nothing has that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "not_found",
                         *         "message": "endpoint ep_01M8RPCTYR7YRHH9PV3WT5TRXP not found",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Conflicts with what exists (a name taken, a delivery being sent) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "conflict",
                         *         "message": "a topic named \"servers\" already exists (top_01M8RPCV5HDZJCC7FD6698B38X)",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The body is larger than the limit */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "payload_too_large",
                         *         "message": "request body is larger than the 16384 KiB limit",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The body is not application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unsupported_media_type",
                         *         "message": "unsupported content type \"text/plain\"; send application/json",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The request is understood but invalid: every problem is listed, each with the field it concerns */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "invalid",
                         *         "message": "2 problems in the request",
                         *         "details": [
                         *           {
                         *             "path": "/format",
                         *             "message": "must be one of strigo, cloudpods, standard",
                         *             "allowed": [
                         *               "strigo",
                         *               "cloudpods",
                         *               "standard"
                         *             ]
                         *           },
                         *           {
                         *             "path": "/url",
                         *             "message": "scheme ftp is not allowed (only http and https)"
                         *           }
                         *         ]
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List deliveries
         * @description Newest first. A delivery is one message on its way to one endpoint; filters combine.
         */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                    /** @description `retrying`: an attempt failed and another is due; `failed`: retries exhausted, or the destination is refused by policy; `pending`: waiting for its first attempt (or re-queued by hand after a success) */
                    status?: "pending" | "retrying" | "succeeded" | "failed" | "cancelled" | "skipped";
                    endpoint_id?: string;
                    message_id?: string;
                    /** @description an event key (`SERVER/CREATE`) or a pattern (`ONDEMAND_ENROLLMENT/*`) */
                    event?: string;
                    /** @description only deliveries that last changed (`updated_at`) at or after this ISO-8601 time or age (`30m`, `2h`, `7d`); with `status=failed`, those that ran out of retries since then */
                    since?: string;
                    /** @description only deliveries created at or after this ISO-8601 time or age (`30m`, `2h`, `7d`) */
                    created_since?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of deliveries, newest first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "data": [
                         *         {
                         *           "id": "dlv_01M8RPD4BR8T4RP5MNF622HCA0",
                         *           "message_id": "msg_01M8RPD4BR8T4RP5MNF622HC9Z",
                         *           "endpoint_id": "ep_01M8RPCTYR7YRHH9PV3WT5TRXP",
                         *           "endpoint_name": "ops alerts",
                         *           "subscription_id": "sub_01M8RPCV1MRNK46HGNZQA9Z5AN",
                         *           "topic_id": null,
                         *           "tenant": "default",
                         *           "event": "SERVER/CREATE",
                         *           "status": "succeeded",
                         *           "attempt_count": 1,
                         *           "attempts": [
                         *             {
                         *               "attempt": 1,
                         *               "at": "2026-12-01T11:38:55.249Z",
                         *               "status_code": 200,
                         *               "error": null,
                         *               "error_class": null,
                         *               "duration_ms": 36
                         *             }
                         *           ],
                         *           "next_attempt_at": null,
                         *           "last_status_code": 200,
                         *           "last_error": null,
                         *           "created_at": "2026-12-01T11:38:55.224Z",
                         *           "updated_at": "2026-12-01T11:38:55.370Z"
                         *         }
                         *       ],
                         *       "next_cursor": "dlv_01M8RPD4BR8T4RP5MNF622HCA0"
                         *     }
                         */
                        "application/json": {
                            data: {
                                id: string;
                                message_id: string;
                                endpoint_id: string;
                                endpoint_name: string | null;
                                subscription_id: string | null;
                                topic_id: string | null;
                                tenant: string;
                                /** @description the event key, e.g. `SERVER/CREATE` */
                                event: string;
                                /** @enum {string} */
                                status: "pending" | "retrying" | "succeeded" | "failed" | "cancelled" | "skipped";
                                attempt_count: number;
                                attempts: {
                                    id?: string;
                                    attempt: number;
                                    /** Format: date-time */
                                    at: string;
                                    /** @description the receiver's HTTP status */
                                    status_code: number | null;
                                    error: string | null;
                                    error_class: string | null;
                                    duration_ms: number | null;
                                    /** @description what was sent (secret header values masked); only on a single delivery */
                                    request?: {
                                        method: string;
                                        url: string;
                                        headers: {
                                            [key: string]: string;
                                        };
                                        body: string;
                                    };
                                    /** @description the start of the receiver's answer */
                                    response_body?: string | null;
                                }[];
                                /**
                                 * Format: date-time
                                 * @description when the next attempt is due; null once the delivery is settled
                                 */
                                next_attempt_at: string | null;
                                last_status_code: number | null;
                                last_error: string | null;
                                /** Format: date-time */
                                created_at: string;
                                /** Format: date-time */
                                updated_at: string;
                            }[];
                            /** @description pass as `cursor` for the next page; null on the last page */
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The request is understood but invalid: every problem is listed, each with the field it concerns */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "invalid",
                         *         "message": "2 problems in the request",
                         *         "details": [
                         *           {
                         *             "path": "/format",
                         *             "message": "must be one of strigo, cloudpods, standard",
                         *             "allowed": [
                         *               "strigo",
                         *               "cloudpods",
                         *               "standard"
                         *             ]
                         *           },
                         *           {
                         *             "path": "/url",
                         *             "message": "scheme ftp is not allowed (only http and https)"
                         *           }
                         *         ]
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deliveries/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a delivery
         * @description With every attempt: the request as sent (secret headers masked) and the start of the answer.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The delivery with every attempt, including what was sent and what the receiver answered */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "id": "dlv_01M8RPD4BR8T4RP5MNF622HCA0",
                         *       "message_id": "msg_01M8RPD4BR8T4RP5MNF622HC9Z",
                         *       "endpoint_id": "ep_01M8RPCTYR7YRHH9PV3WT5TRXP",
                         *       "endpoint_name": "ops alerts",
                         *       "subscription_id": "sub_01M8RPCV1MRNK46HGNZQA9Z5AN",
                         *       "topic_id": null,
                         *       "tenant": "default",
                         *       "event": "SERVER/CREATE",
                         *       "status": "succeeded",
                         *       "attempt_count": 1,
                         *       "attempts": [
                         *         {
                         *           "id": "att_01M8RPD4DHVJW9R39PMZ9JE8Z8",
                         *           "attempt": 1,
                         *           "at": "2026-12-01T11:38:55.249Z",
                         *           "status_code": 200,
                         *           "error": null,
                         *           "error_class": null,
                         *           "duration_ms": 36,
                         *           "request": {
                         *             "method": "POST",
                         *             "url": "https://hooks.example.com/herald",
                         *             "headers": {
                         *               "Content-Type": "application/json",
                         *               "X-Team": "ops",
                         *               "webhook-id": "msg_01M8RPD4BR8T4RP5MNF622HC9Z",
                         *               "webhook-timestamp": "1796125135",
                         *               "webhook-signature": "****"
                         *             },
                         *             "body": "{\"type\":\"server.create\",\"timestamp\":\"2026-12-01T11:38:55.224Z\",\"data\":{\"name\":\"web-1\",\"entity_ids\":[\"srv-1\"]}}"
                         *           },
                         *           "response_body": "ok"
                         *         }
                         *       ],
                         *       "next_attempt_at": null,
                         *       "last_status_code": 200,
                         *       "last_error": null,
                         *       "created_at": "2026-12-01T11:38:55.224Z",
                         *       "updated_at": "2026-12-01T11:38:55.370Z"
                         *     }
                         */
                        "application/json": {
                            id: string;
                            message_id: string;
                            endpoint_id: string;
                            endpoint_name: string | null;
                            subscription_id: string | null;
                            topic_id: string | null;
                            tenant: string;
                            /** @description the event key, e.g. `SERVER/CREATE` */
                            event: string;
                            /** @enum {string} */
                            status: "pending" | "retrying" | "succeeded" | "failed" | "cancelled" | "skipped";
                            attempt_count: number;
                            attempts: {
                                id?: string;
                                attempt: number;
                                /** Format: date-time */
                                at: string;
                                /** @description the receiver's HTTP status */
                                status_code: number | null;
                                error: string | null;
                                error_class: string | null;
                                duration_ms: number | null;
                                /** @description what was sent (secret header values masked); only on a single delivery */
                                request?: {
                                    method: string;
                                    url: string;
                                    headers: {
                                        [key: string]: string;
                                    };
                                    body: string;
                                };
                                /** @description the start of the receiver's answer */
                                response_body?: string | null;
                            }[];
                            /**
                             * Format: date-time
                             * @description when the next attempt is due; null once the delivery is settled
                             */
                            next_attempt_at: string | null;
                            last_status_code: number | null;
                            last_error: string | null;
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            updated_at: string;
                        };
                    };
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Nothing has that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "not_found",
                         *         "message": "endpoint ep_01M8RPCTYR7YRHH9PV3WT5TRXP not found",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deliveries/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a delivery again
         * @description Queued to be sent now, whatever its status; a delivery being sent at this moment is a 409.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The delivery with every attempt, including what was sent and what the receiver answered */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "id": "dlv_01M8RPD4BR8T4RP5MNF622HCA0",
                         *       "message_id": "msg_01M8RPD4BR8T4RP5MNF622HC9Z",
                         *       "endpoint_id": "ep_01M8RPCTYR7YRHH9PV3WT5TRXP",
                         *       "endpoint_name": "ops alerts",
                         *       "subscription_id": "sub_01M8RPCV1MRNK46HGNZQA9Z5AN",
                         *       "topic_id": null,
                         *       "tenant": "default",
                         *       "event": "SERVER/CREATE",
                         *       "status": "succeeded",
                         *       "attempt_count": 1,
                         *       "attempts": [
                         *         {
                         *           "id": "att_01M8RPD4DHVJW9R39PMZ9JE8Z8",
                         *           "attempt": 1,
                         *           "at": "2026-12-01T11:38:55.249Z",
                         *           "status_code": 200,
                         *           "error": null,
                         *           "error_class": null,
                         *           "duration_ms": 36,
                         *           "request": {
                         *             "method": "POST",
                         *             "url": "https://hooks.example.com/herald",
                         *             "headers": {
                         *               "Content-Type": "application/json",
                         *               "X-Team": "ops",
                         *               "webhook-id": "msg_01M8RPD4BR8T4RP5MNF622HC9Z",
                         *               "webhook-timestamp": "1796125135",
                         *               "webhook-signature": "****"
                         *             },
                         *             "body": "{\"type\":\"server.create\",\"timestamp\":\"2026-12-01T11:38:55.224Z\",\"data\":{\"name\":\"web-1\",\"entity_ids\":[\"srv-1\"]}}"
                         *           },
                         *           "response_body": "ok"
                         *         }
                         *       ],
                         *       "next_attempt_at": null,
                         *       "last_status_code": 200,
                         *       "last_error": null,
                         *       "created_at": "2026-12-01T11:38:55.224Z",
                         *       "updated_at": "2026-12-01T11:38:55.370Z"
                         *     }
                         */
                        "application/json": {
                            id: string;
                            message_id: string;
                            endpoint_id: string;
                            endpoint_name: string | null;
                            subscription_id: string | null;
                            topic_id: string | null;
                            tenant: string;
                            /** @description the event key, e.g. `SERVER/CREATE` */
                            event: string;
                            /** @enum {string} */
                            status: "pending" | "retrying" | "succeeded" | "failed" | "cancelled" | "skipped";
                            attempt_count: number;
                            attempts: {
                                id?: string;
                                attempt: number;
                                /** Format: date-time */
                                at: string;
                                /** @description the receiver's HTTP status */
                                status_code: number | null;
                                error: string | null;
                                error_class: string | null;
                                duration_ms: number | null;
                                /** @description what was sent (secret header values masked); only on a single delivery */
                                request?: {
                                    method: string;
                                    url: string;
                                    headers: {
                                        [key: string]: string;
                                    };
                                    body: string;
                                };
                                /** @description the start of the receiver's answer */
                                response_body?: string | null;
                            }[];
                            /**
                             * Format: date-time
                             * @description when the next attempt is due; null once the delivery is settled
                             */
                            next_attempt_at: string | null;
                            last_status_code: number | null;
                            last_error: string | null;
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            updated_at: string;
                        };
                    };
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Nothing has that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "not_found",
                         *         "message": "endpoint ep_01M8RPCTYR7YRHH9PV3WT5TRXP not found",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Conflicts with what exists (a name taken, a delivery being sent) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "conflict",
                         *         "message": "a topic named \"servers\" already exists (top_01M8RPCV5HDZJCC7FD6698B38X)",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/messages/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a published message and its deliveries */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The published message and its deliveries */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "id": "msg_01M8RPD4BR8T4RP5MNF622HC9Z",
                         *       "tenant": "default",
                         *       "type": "server",
                         *       "action": "create",
                         *       "result": "succeed",
                         *       "event": "SERVER/CREATE",
                         *       "entity_ids": [
                         *         "srv-1"
                         *       ],
                         *       "data": {
                         *         "name": "web-1"
                         *       },
                         *       "scope": {
                         *         "domain_id": null,
                         *         "project_id": null
                         *       },
                         *       "idempotency_key": null,
                         *       "created_at": "2026-12-01T11:38:55.224Z",
                         *       "deliveries": [
                         *         {
                         *           "id": "dlv_01M8RPD4BR8T4RP5MNF622HCA0",
                         *           "message_id": "msg_01M8RPD4BR8T4RP5MNF622HC9Z",
                         *           "endpoint_id": "ep_01M8RPCTYR7YRHH9PV3WT5TRXP",
                         *           "endpoint_name": "ops alerts",
                         *           "subscription_id": "sub_01M8RPCV1MRNK46HGNZQA9Z5AN",
                         *           "topic_id": null,
                         *           "tenant": "default",
                         *           "event": "SERVER/CREATE",
                         *           "status": "succeeded",
                         *           "attempt_count": 1,
                         *           "attempts": [
                         *             {
                         *               "attempt": 1,
                         *               "at": "2026-12-01T11:38:55.249Z",
                         *               "status_code": 200,
                         *               "error": null,
                         *               "error_class": null,
                         *               "duration_ms": 36
                         *             }
                         *           ],
                         *           "next_attempt_at": null,
                         *           "last_status_code": 200,
                         *           "last_error": null,
                         *           "created_at": "2026-12-01T11:38:55.224Z",
                         *           "updated_at": "2026-12-01T11:38:55.370Z"
                         *         }
                         *       ]
                         *     }
                         */
                        "application/json": {
                            id: string;
                            tenant: string;
                            type: string;
                            action: string;
                            result: string;
                            event: string;
                            entity_ids: string[];
                            /** @description the event data as published */
                            data: unknown;
                            scope: {
                                domain_id: string | null;
                                project_id: string | null;
                            };
                            idempotency_key: string | null;
                            /** Format: date-time */
                            created_at: string;
                            deliveries: {
                                id: string;
                                message_id: string;
                                endpoint_id: string;
                                endpoint_name: string | null;
                                subscription_id: string | null;
                                topic_id: string | null;
                                tenant: string;
                                /** @description the event key, e.g. `SERVER/CREATE` */
                                event: string;
                                /** @enum {string} */
                                status: "pending" | "retrying" | "succeeded" | "failed" | "cancelled" | "skipped";
                                attempt_count: number;
                                attempts: {
                                    id?: string;
                                    attempt: number;
                                    /** Format: date-time */
                                    at: string;
                                    /** @description the receiver's HTTP status */
                                    status_code: number | null;
                                    error: string | null;
                                    error_class: string | null;
                                    duration_ms: number | null;
                                    /** @description what was sent (secret header values masked); only on a single delivery */
                                    request?: {
                                        method: string;
                                        url: string;
                                        headers: {
                                            [key: string]: string;
                                        };
                                        body: string;
                                    };
                                    /** @description the start of the receiver's answer */
                                    response_body?: string | null;
                                }[];
                                /**
                                 * Format: date-time
                                 * @description when the next attempt is due; null once the delivery is settled
                                 */
                                next_attempt_at: string | null;
                                last_status_code: number | null;
                                last_error: string | null;
                                /** Format: date-time */
                                created_at: string;
                                /** Format: date-time */
                                updated_at: string;
                            }[];
                        };
                    };
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Nothing has that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "not_found",
                         *         "message": "endpoint ep_01M8RPCTYR7YRHH9PV3WT5TRXP not found",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List messages; with undelivered=true, what never arrived and why */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                    /** @description only messages with a delivery that has not succeeded (failed, skipped, or pending after a failed attempt), each with why */
                    undelivered?: "true" | "false";
                    /** @description messages accepted at or after this ISO-8601 time or age (`30m`, `2h`, `7d`) */
                    since?: string;
                    /** @description only deliveries to this endpoint */
                    endpoint_id?: string;
                    /** @description an event key (`SERVER/CREATE`) or a pattern (`ONDEMAND_ENROLLMENT/*`) */
                    event?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of messages, newest first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "data": [
                         *         {
                         *           "id": "msg_01M8RPD4BR8T4RP5MNF622HC9Z",
                         *           "tenant": "acme",
                         *           "event": "ONDEMAND_ENROLLMENT/STARTED",
                         *           "entity_ids": [
                         *             "enr_7f3a"
                         *           ],
                         *           "created_at": "2026-12-01T11:40:02.114Z",
                         *           "deliveries": [
                         *             {
                         *               "id": "dlv_01M8RPD4BR8T4RP5MNF622HCA0",
                         *               "endpoint_id": "ep_01M8RPCTYR7YRHH9PV3WT5TRXP",
                         *               "endpoint_name": "acme lab backend",
                         *               "status": "retrying",
                         *               "attempt_count": 2,
                         *               "last_status_code": 503,
                         *               "last_error": "HTTP 503: upstream unavailable",
                         *               "next_attempt_at": "2026-12-01T12:10:02.114Z",
                         *               "updated_at": "2026-12-01T11:40:07.301Z",
                         *               "why": "retrying after 2 attempts (next at 2026-12-01T12:10:02.114Z): HTTP 503: upstream unavailable"
                         *             }
                         *           ]
                         *         }
                         *       ],
                         *       "next_cursor": "msg_01M8RPD4BR8T4RP5MNF622HC9Z"
                         *     }
                         */
                        "application/json": {
                            data: {
                                id: string;
                                tenant: string;
                                /** @description the event key, TYPE/ACTION[/RESULT] */
                                event: string;
                                entity_ids: string[];
                                /** Format: date-time */
                                created_at: string;
                                /** @description with `undelivered=true`, only the deliveries that have not succeeded */
                                deliveries: {
                                    id: string;
                                    endpoint_id: string;
                                    endpoint_name: string | null;
                                    /** @enum {string} */
                                    status: "pending" | "retrying" | "succeeded" | "failed" | "cancelled" | "skipped";
                                    attempt_count: number;
                                    last_status_code: number | null;
                                    last_error: string | null;
                                    /** Format: date-time */
                                    next_attempt_at: string | null;
                                    /** Format: date-time */
                                    updated_at: string;
                                    why: string | null;
                                }[];
                            }[];
                            /** @description pass as `cursor` for the next page; null on the last page */
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The request is understood but invalid: every problem is listed, each with the field it concerns */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "invalid",
                         *         "message": "2 problems in the request",
                         *         "details": [
                         *           {
                         *             "path": "/format",
                         *             "message": "must be one of strigo, cloudpods, standard",
                         *             "allowed": [
                         *               "strigo",
                         *               "cloudpods",
                         *               "standard"
                         *             ]
                         *           },
                         *           {
                         *             "path": "/url",
                         *             "message": "scheme ftp is not allowed (only http and https)"
                         *           }
                         *         ]
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/incoming": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the incoming log
         * @description Every message backends sent to POST /v1/incoming and what Herald answered, refusals included, newest first.
         */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                    source_message_id?: string;
                    endpoint_id?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of the incoming log, newest first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "data": [
                         *         {
                         *           "id": "inc_01M8RPF0AZ3C9S7Q0H2XK4W1RB",
                         *           "endpoint_id": "ep_01M8RPCTYR7YRHH9PV3WT5TRXP",
                         *           "source_message_id": "msg_01M8RPD4BR8T4RP5MNF622HC9Z",
                         *           "action": "CREATED",
                         *           "outcome": "applied",
                         *           "status_code": 200,
                         *           "error": null,
                         *           "digest": "9f2c4e1b",
                         *           "body": "{\"source_message_id\":\"msg_01M8RPD4BR8T4RP5MNF622HC9Z\",\"type\":\"RESOURCE\",\"action\":\"CREATED\",\"data\":{\"resources\":[]}}",
                         *           "created_at": "2026-12-01T11:39:02.114Z"
                         *         }
                         *       ],
                         *       "next_cursor": "inc_01M8RPF0AZ3C9S7Q0H2XK4W1RB"
                         *     }
                         */
                        "application/json": {
                            data: {
                                id: string;
                                endpoint_id: string | null;
                                source_message_id: string | null;
                                action: string | null;
                                /** @description `applied`, `unchanged` or `refused` */
                                outcome: string;
                                status_code: number;
                                /** @description the error body Herald answered with, or null */
                                error: unknown;
                                digest: string | null;
                                body: string | null;
                                /** Format: date-time */
                                created_at: string;
                            }[];
                            /** @description pass as `cursor` for the next page; null on the last page */
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The request is understood but invalid: every problem is listed, each with the field it concerns */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "invalid",
                         *         "message": "2 problems in the request",
                         *         "details": [
                         *           {
                         *             "path": "/format",
                         *             "message": "must be one of strigo, cloudpods, standard",
                         *             "allowed": [
                         *               "strigo",
                         *               "cloudpods",
                         *               "standard"
                         *             ]
                         *           },
                         *           {
                         *             "path": "/url",
                         *             "message": "scheme ftp is not allowed (only http and https)"
                         *           }
                         *         ]
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /**
         * Report back on a message (for receivers)
         * @description A backend reports the resources and interfaces of the entities of a message it received. Authorization: Bearer <callback.user>:<callback.key>. An address whose authentication failed HERALD_INCOMING_AUTH_FAILURES times within HERALD_INCOMING_AUTH_WINDOW is answered 429 with Retry-After until the window ends. JSON only, at most 1 MiB. Applied to every entity of the source message in one transaction; the same body sent again is answered `unchanged`.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description What a backend reports about the entities of a message it received. */
            requestBody: {
                content: {
                    "application/json": {
                        /** @description the `message_id` of the message this answers */
                        source_message_id: string;
                        /** @enum {string} */
                        type: "RESOURCE";
                        /**
                         * @description required unless `status` is given; both must agree
                         * @enum {string}
                         */
                        action?: "CREATED" | "UPDATED" | "DELETED";
                        /**
                         * @description another name for `action`, accepted for backends that send it
                         * @enum {string}
                         */
                        status?: "CREATED" | "UPDATED" | "DELETED";
                        /** @description ISO-8601 with offset; an older report does not overwrite a newer one */
                        timestamp?: string;
                        data: {
                            resources: {
                                id: string;
                                /**
                                 * @description required for CREATED and UPDATED
                                 * @enum {string}
                                 */
                                type?: "VM" | "URL";
                                name?: string;
                                /** @enum {string} */
                                status?: "STARTING" | "PREPARING" | "READY" | "STOPPING" | "STOPPED" | "DELETING" | "DELETED" | "ERROR";
                                /** @description the status may be given here instead */
                                data?: {
                                    /** @enum {string} */
                                    status?: "STARTING" | "PREPARING" | "READY" | "STOPPING" | "STOPPED" | "DELETING" | "DELETED" | "ERROR";
                                };
                                /** @description free-form JSON, stored and streamed as given */
                                config?: {
                                    [key: string]: unknown;
                                };
                            }[];
                            interfaces?: {
                                /** @enum {string} */
                                type: "TERMINAL" | "WEB_INTERFACE" | "REMOTE_DESKTOP";
                                /** @description a resource of this message or of the entity state */
                                resource_id: string;
                                name?: string;
                                /** @description free-form JSON, stored and streamed as given */
                                config?: {
                                    [key: string]: unknown;
                                };
                            }[];
                        };
                    };
                };
            };
            responses: {
                /** @description Applied, or unchanged when it said nothing new */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "id": "inc_01M8RPF0AZ3C9S7Q0H2XK4W1RB",
                         *       "outcome": "applied",
                         *       "entities": [
                         *         "srv-1"
                         *       ]
                         *     }
                         */
                        "application/json": {
                            id: string;
                            /** @enum {string} */
                            outcome: "applied" | "unchanged";
                            entities: string[];
                        };
                    };
                };
                /** @description The body is not JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "malformed_json",
                         *         "message": "malformed JSON at position 17 (line 1, column 18): Unexpected token }",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Nothing has that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "not_found",
                         *         "message": "endpoint ep_01M8RPCTYR7YRHH9PV3WT5TRXP not found",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Conflicts with what exists (a name taken, a delivery being sent) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "conflict",
                         *         "message": "a topic named \"servers\" already exists (top_01M8RPCV5HDZJCC7FD6698B38X)",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The body is larger than the limit */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "payload_too_large",
                         *         "message": "request body is larger than the 16384 KiB limit",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The body is not application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unsupported_media_type",
                         *         "message": "unsupported content type \"text/plain\"; send application/json",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The request is understood but invalid: every problem is listed, each with the field it concerns */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "invalid",
                         *         "message": "2 problems in the request",
                         *         "details": [
                         *           {
                         *             "path": "/format",
                         *             "message": "must be one of strigo, cloudpods, standard",
                         *             "allowed": [
                         *               "strigo",
                         *               "cloudpods",
                         *               "standard"
                         *             ]
                         *           },
                         *           {
                         *             "path": "/url",
                         *             "message": "scheme ftp is not allowed (only http and https)"
                         *           }
                         *         ]
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Too many failed authentications from this address; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "rate_limited",
                         *         "message": "too many failed callback authentications from this address; try again in 42 s",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/entities/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get an entity's state
         * @description What the backends reported through POST /v1/incoming, merged: its resources and interfaces.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The entity as its backends last reported it; configs keep their numbers as sent */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "id": "srv-1",
                         *       "resources": [
                         *         {
                         *           "id": "vm-42",
                         *           "type": "VM",
                         *           "name": "web-1",
                         *           "status": "READY",
                         *           "config": {
                         *             "cpus": 4,
                         *             "memory_mb": 8192
                         *           },
                         *           "updated_at": "2026-12-01T11:39:02.114Z"
                         *         }
                         *       ],
                         *       "interfaces": [
                         *         {
                         *           "type": "TERMINAL",
                         *           "resource_id": "vm-42",
                         *           "name": "console",
                         *           "config": {
                         *             "host": "203.0.113.7",
                         *             "port": 22
                         *           }
                         *         }
                         *       ],
                         *       "updated_at": "2026-12-01T11:39:02.114Z"
                         *     }
                         */
                        "application/json": {
                            id: string;
                            resources: {
                                id: string;
                                type: string;
                                name: string | null;
                                status: string;
                                config: {
                                    [key: string]: unknown;
                                };
                                updated_at: string;
                            }[];
                            interfaces: {
                                type: string;
                                resource_id: string;
                                name: string | null;
                                config: {
                                    [key: string]: unknown;
                                };
                            }[];
                            updated_at: string | null;
                        };
                    };
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Nothing has that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "not_found",
                         *         "message": "endpoint ep_01M8RPCTYR7YRHH9PV3WT5TRXP not found",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/entities/{id}/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Follow an entity's state (Server-Sent Events)
         * @description The state now, then every change as it is applied. Each event is `event: state`, `id: <change seq>`, `data: <the entity as GET /v1/entities/:id shows it>`. The first event is the current state (id 0 and empty while nothing was reported). With Last-Event-ID, only the changes after it are sent. A comment line every 15 s keeps proxies from closing the stream.
         */
        get: {
            parameters: {
                query?: {
                    /** @description the admin token, for clients such as EventSource that cannot send headers */
                    token?: string;
                    /** @description as the Last-Event-ID header, for clients that cannot send it */
                    last_event_id?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A stream of `state` events */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example id: 7
                         *     event: state
                         *     data: {"id":"srv-1","resources":[],"interfaces":[],"updated_at":null}
                         */
                        "text/event-stream": string;
                    };
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "text/event-stream": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "text/event-stream": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** API keys, with their prefix and status, never the key */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                    tenant?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of API keys, oldest first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "data": [
                         *         {
                         *           "id": "key_01M8RPCTYR7YRHH9PV3WT5TRXQ",
                         *           "name": "billing publisher",
                         *           "tenant": "acme",
                         *           "scopes": [
                         *             "events:publish"
                         *           ],
                         *           "prefix": "hk_Zx3v9QmR",
                         *           "status": "active",
                         *           "expires_at": null,
                         *           "revoked_at": null,
                         *           "created_at": "2026-12-01T11:38:45.684Z"
                         *         }
                         *       ],
                         *       "next_cursor": "key_01M8RPCTYR7YRHH9PV3WT5TRXQ"
                         *     }
                         */
                        "application/json": {
                            data: {
                                id: string;
                                name: string;
                                tenant: string;
                                scopes: string[];
                                /** @description the first characters of the key, to tell keys apart */
                                prefix: string;
                                /** @enum {string} */
                                status: "active" | "expired" | "revoked";
                                /** Format: date-time */
                                expires_at: string | null;
                                /** Format: date-time */
                                revoked_at: string | null;
                                /** Format: date-time */
                                created_at: string;
                            }[];
                            /** @description pass as `cursor` for the next page; null on the last page */
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The request is understood but invalid: every problem is listed, each with the field it concerns */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "invalid",
                         *         "message": "2 problems in the request",
                         *         "details": [
                         *           {
                         *             "path": "/format",
                         *             "message": "must be one of strigo, cloudpods, standard",
                         *             "allowed": [
                         *               "strigo",
                         *               "cloudpods",
                         *               "standard"
                         *             ]
                         *           },
                         *           {
                         *             "path": "/url",
                         *             "message": "scheme ftp is not allowed (only http and https)"
                         *           }
                         *         ]
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a tenant's API key; the key (`hk_...`) is in this answer only */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        tenant: string;
                        /** @description any of events:publish, endpoints:read, endpoints:write, deliveries:read, deliveries:retry, entities:read */
                        scopes: string[];
                        /** @description an ISO-8601 time in the future */
                        expires_at?: string | null;
                    };
                };
            };
            responses: {
                /** @description The new key: keep `key`, it is not shown again */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "id": "key_01M8RPCTYR7YRHH9PV3WT5TRXQ",
                         *       "name": "billing publisher",
                         *       "tenant": "acme",
                         *       "scopes": [
                         *         "events:publish"
                         *       ],
                         *       "prefix": "hk_Zx3v9QmR",
                         *       "status": "active",
                         *       "expires_at": null,
                         *       "revoked_at": null,
                         *       "created_at": "2026-12-01T11:38:45.684Z",
                         *       "key": "hk_Zx3v9QmRk2b8Jc1LwYpT5sVn0aE7dHfG4uIoXrCqBzM"
                         *     }
                         */
                        "application/json": {
                            id: string;
                            name: string;
                            tenant: string;
                            scopes: string[];
                            /** @description the first characters of the key, to tell keys apart */
                            prefix: string;
                            /** @enum {string} */
                            status: "active" | "expired" | "revoked";
                            /** Format: date-time */
                            expires_at: string | null;
                            /** Format: date-time */
                            revoked_at: string | null;
                            /** Format: date-time */
                            created_at: string;
                        } & {
                            /** @description the key; shown in this answer only */
                            key: string;
                        };
                    };
                };
                /** @description The body is not JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "malformed_json",
                         *         "message": "malformed JSON at position 17 (line 1, column 18): Unexpected token }",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Nothing has that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "not_found",
                         *         "message": "endpoint ep_01M8RPCTYR7YRHH9PV3WT5TRXP not found",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Conflicts with what exists (a name taken, a delivery being sent) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "conflict",
                         *         "message": "a topic named \"servers\" already exists (top_01M8RPCV5HDZJCC7FD6698B38X)",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The body is larger than the limit */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "payload_too_large",
                         *         "message": "request body is larger than the 16384 KiB limit",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The body is not application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unsupported_media_type",
                         *         "message": "unsupported content type \"text/plain\"; send application/json",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The request is understood but invalid: every problem is listed, each with the field it concerns */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "invalid",
                         *         "message": "2 problems in the request",
                         *         "details": [
                         *           {
                         *             "path": "/format",
                         *             "message": "must be one of strigo, cloudpods, standard",
                         *             "allowed": [
                         *               "strigo",
                         *               "cloudpods",
                         *               "standard"
                         *             ]
                         *           },
                         *           {
                         *             "path": "/url",
                         *             "message": "scheme ftp is not allowed (only http and https)"
                         *           }
                         *         ]
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an API key, at once and on every process */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Nothing has that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "not_found",
                         *         "message": "endpoint ep_01M8RPCTYR7YRHH9PV3WT5TRXP not found",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/portal-sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Open a portal session for a tenant; the answer's url lets one person in, once */
        post: {
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
                        /** @description how long the session lasts, e.g. 30m, 1h, 7d (at most 7d); 1h if not given */
                        ttl?: string;
                        read_only?: boolean;
                        brand?: {
                            name?: string;
                            /** @description #rrggbb */
                            color?: string;
                            /** @description an https:// URL */
                            logo_url?: string | null;
                        };
                    };
                };
            };
            responses: {
                /** @description The session and its entry link; the link is shown in this answer only */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "id": "psn_01M8RPCTYR7YRHH9PV3WT5TRXR",
                         *       "tenant": "acme",
                         *       "read_only": false,
                         *       "brand": {
                         *         "name": "Acme Labs",
                         *         "color": "#0b7285",
                         *         "logo_url": "https://acme.example/logo.png"
                         *       },
                         *       "status": "active",
                         *       "expires_at": "2026-12-01T12:38:45.684Z",
                         *       "entered_at": null,
                         *       "revoked_at": null,
                         *       "created_at": "2026-12-01T11:38:45.684Z",
                         *       "url": "https://herald.example.com/portal/enter/pt_9xQ2mVb7Lk3Jd8RwTz5YcN1aHs6GfE4u"
                         *     }
                         */
                        "application/json": {
                            id: string;
                            tenant: string;
                            read_only: boolean;
                            brand: {
                                name: string | null;
                                color: string | null;
                                logo_url: string | null;
                            };
                            /** @description `active`, `entered`, `expired` or `revoked` */
                            status: string;
                            /** Format: date-time */
                            expires_at: string;
                            /** Format: date-time */
                            entered_at: string | null;
                            /** Format: date-time */
                            revoked_at: string | null;
                            /** Format: date-time */
                            created_at: string;
                            /** @description the one-time entry link: opening it signs one browser in; a second use is refused */
                            url: string;
                        };
                    };
                };
                /** @description The body is not JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "malformed_json",
                         *         "message": "malformed JSON at position 17 (line 1, column 18): Unexpected token }",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Nothing has that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "not_found",
                         *         "message": "endpoint ep_01M8RPCTYR7YRHH9PV3WT5TRXP not found",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Conflicts with what exists (a name taken, a delivery being sent) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "conflict",
                         *         "message": "a topic named \"servers\" already exists (top_01M8RPCV5HDZJCC7FD6698B38X)",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The body is larger than the limit */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "payload_too_large",
                         *         "message": "request body is larger than the 16384 KiB limit",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The body is not application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unsupported_media_type",
                         *         "message": "unsupported content type \"text/plain\"; send application/json",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The request is understood but invalid: every problem is listed, each with the field it concerns */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "invalid",
                         *         "message": "2 problems in the request",
                         *         "details": [
                         *           {
                         *             "path": "/format",
                         *             "message": "must be one of strigo, cloudpods, standard",
                         *             "allowed": [
                         *               "strigo",
                         *               "cloudpods",
                         *               "standard"
                         *             ]
                         *           },
                         *           {
                         *             "path": "/url",
                         *             "message": "scheme ftp is not allowed (only http and https)"
                         *           }
                         *         ]
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        /** Revoke every portal session of a tenant */
        delete: {
            parameters: {
                query?: {
                    tenant?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description How many sessions were revoked */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "revoked": 3
                         *     }
                         */
                        "application/json": {
                            revoked: number;
                        };
                    };
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description The request is understood but invalid: every problem is listed, each with the field it concerns */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "invalid",
                         *         "message": "2 problems in the request",
                         *         "details": [
                         *           {
                         *             "path": "/format",
                         *             "message": "must be one of strigo, cloudpods, standard",
                         *             "allowed": [
                         *               "strigo",
                         *               "cloudpods",
                         *               "standard"
                         *             ]
                         *           },
                         *           {
                         *             "path": "/url",
                         *             "message": "scheme ftp is not allowed (only http and https)"
                         *           }
                         *         ]
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/portal-sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a portal session, at once and on every process */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description No admin token, or not the right one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "unauthorized",
                         *         "message": "expected `Authorization: Bearer <token>`, got a value without a scheme",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description An API key without the scope this operation needs, or one that needs the admin token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "forbidden",
                         *         "message": "this key lacks the scope endpoints:write",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
                /** @description Nothing has that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "error": {
                         *         "code": "not_found",
                         *         "message": "endpoint ep_01M8RPCTYR7YRHH9PV3WT5TRXP not found",
                         *         "details": []
                         *       }
                         *     }
                         */
                        "application/json": {
                            error: {
                                code: string;
                                message: string;
                                details: {
                                    path: string;
                                    message: string;
                                    allowed?: string[];
                                }[];
                            };
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: never;
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
