import { stableGuid } from './ids.js';

/** The simulated tenant's identity; fixed so params files and fixtures stay valid across runs. */
export const TENANT = {
  id: stableGuid('tenant'),
  domain: 'msgraphsim.onmicrosoft.com',
  displayName: 'Contoso Simulated',
} as const;

/** First-party app id of Microsoft Graph (the resource of every Graph token). */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/** "Azure Multi-Factor Auth Client", the service principal the MFA commands add secrets to. */
export const MFA_APP_ID = '981f26a1-7f43-403b-a875-f8b09b8cd720';

/** The resource the MFA connector's v1 token is issued for. */
export const MFA_RESOURCE =
  'https://adnotifications.windowsazure.com/StrongAuthenticationService.svc/Connector';

/** A fixed instant the seed data is dated from, so generated timestamps never change. */
export const SEED_EPOCH = Date.UTC(2023, 0, 9, 8, 30, 0);
