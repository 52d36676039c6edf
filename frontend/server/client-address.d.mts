import type { IncomingMessage } from 'node:http';

type RequestLike = {
  socket?: { remoteAddress?: string; encrypted?: boolean };
  headers: Record<string, string | string[] | undefined>;
};

export declare const CLIENT_ADDRESS_HEADER: 'x-forwarded-for';
export declare const CLIENT_PROTO_HEADER: 'x-forwarded-proto';
export declare function markClientAddressStamped(): void;
export declare function isClientAddressStamped(): boolean;
export declare function resolveClientAddress(req: RequestLike, trustedHops: number): string | null;
export declare function resolveProtocol(req: RequestLike, trustedHops: number): 'http' | 'https';
export declare function stampClientAddress(req: IncomingMessage, trustedHops: number): void;
