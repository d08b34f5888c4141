/** The LDAP result codes (RFC 4511 Appendix A) the demo directory answers with. */
export const ResultCode = {
  success: 0,
  sizeLimitExceeded: 4,
  noSuchObject: 32,
  invalidCredentials: 49,
  insufficientAccessRights: 50,
  unwillingToPerform: 53,
} as const;
