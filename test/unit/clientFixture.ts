import { NoonClient, type ClientOptions } from '../../src/core/client';

/**
 * Makes clients for the tests of one suite and disposes them after each test, so no pooled
 * connection outlives its test. `defaults` is read at each call: the gateway starts in `before`.
 */
export function clientsFor(defaults: () => ClientOptions): (extra?: Partial<ClientOptions>) => NoonClient {
  let made: NoonClient[] = [];
  afterEach(() => {
    for (const client of made) client.dispose();
    made = [];
  });
  return (extra = {}) => {
    const client = new NoonClient({ ...defaults(), ...extra });
    made.push(client);
    return client;
  };
}
