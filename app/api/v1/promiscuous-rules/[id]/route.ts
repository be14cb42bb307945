import { deletePromiscuousRule } from '@/lib/expectations/promiscuous-rules';
import { deleteByIdRoute } from '@/lib/http/delete-by-id';

export const DELETE = deleteByIdRoute(deletePromiscuousRule);
