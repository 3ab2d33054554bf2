"""Operations on releases that are not a deploy: ``rollback`` and ``promote`` (plans run by the deploy
executor), ``info`` (every alias as a routing table) and ``invoke`` (which version served)."""
