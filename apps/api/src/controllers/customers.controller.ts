import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { RegisterCustomerCommand } from '@csp/application';
import { RegisterCustomerDto } from '../dto/customer.dto';
import { Authorize, Ctx, type RequestContext } from '../http/auth';

@Controller('v1/customers')
export class CustomersController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Authorize('customer.register')
  register(@Ctx() context: RequestContext, @Body() body: RegisterCustomerDto) {
    return this.commands.execute(new RegisterCustomerCommand(context, body));
  }
}
